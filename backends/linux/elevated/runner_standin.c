/* runner_standin.c — test only: stands in for ringfence-runner (built by the
 * runner's own target) so that setup_test.sh can install and digest a
 * setuid program without depending on it.  Does nothing. */
#include <stdio.h>

int main(void) {
    fputs("ringfence-runner stand-in for setup tests: does nothing\n", stderr);
    return 1;
}

/* grant_setup_path.h — where ringfence-grant reads setup.json: the fixed
 * RF_SETUP_RECORD_PATH in the shipped program (grant_setup_path.c); from
 * $RINGFENCE_TEST_SETUP_RECORD in the test build (grant_setup_path_testbuild.c).
 * ringfence-grant is not setuid, so this only chooses which uids the user's
 * own files are granted to. */
#ifndef RF_ELEVATED_GRANT_SETUP_PATH_H
#define RF_ELEVATED_GRANT_SETUP_PATH_H

const char *rf_grant_setup_record_path(void);

#endif

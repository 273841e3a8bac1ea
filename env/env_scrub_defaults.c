/*
 * env_scrub_defaults.c — the variables removed from every command's
 * environment unless the policy says otherwise: credentials a command could
 * exfiltrate or use to act as the user.
 */
#include "env/env.h"

static const char *const default_scrub[] = {
    /* Generic secret-bearing names: GITHUB_TOKEN, NPM_TOKEN, VAULT_TOKEN, ... */
    "*_TOKEN",
    "*_TOKEN_*",
    "*_SECRET",
    "*_SECRET_*",
    "*_PASSWORD",
    "*_PASSWD",
    "*_API_KEY",
    "*_APIKEY",
    "*_ACCESS_KEY",
    "*_ACCESS_KEY_ID",
    "*_PRIVATE_KEY",
    "*_CREDENTIALS",
    /* Cloud credentials and profiles. */
    "AWS_*",
    "AZURE_*",
    "ARM_CLIENT_SECRET",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CREDENTIALS",
    "CLOUDSDK_AUTH_*",
    "DIGITALOCEAN_*",
    "HCLOUD_TOKEN",
    /* Container and cluster access. */
    "DOCKER_AUTH_CONFIG",
    "DOCKER_HOST",
    "KUBECONFIG",
    /* Agent sockets: a live signing key or the desktop session bus. */
    "SSH_AUTH_SOCK",
    "GPG_AGENT_INFO",
    "DBUS_SESSION_BUS_ADDRESS",
};

const char *const *rf_env_default_scrub(size_t *count) {
    *count = sizeof default_scrub / sizeof default_scrub[0];
    return default_scrub;
}

/**
 * @file ncsim_junos.h
 * @brief The simulator as one Junos device on stdin/stdout (ncsim_junos.c).
 */
#ifndef NCSIM_JUNOS_H
#define NCSIM_JUNOS_H

/**
 * @brief Serve the Junos device whose replies are in @p dir on stdin/stdout
 * (NETCONF 1.0 framing) until <close-session> or end of input.
 * @return 0, or 1 when the client sent no <hello>.
 */
int ncsim_junos_stdio(const char *dir);

#endif

/**
 * Where the long-term token is kept beyond one process: the store abstraction, its in-memory
 * and JDBC implementations (values encrypted at rest), and the long-term token source that lets
 * a fleet share one token.
 */
package io.github.c2mspring.auth.store;

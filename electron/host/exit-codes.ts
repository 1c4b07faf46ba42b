/**
 * Exit codes of every `ocpp-scope` command, documented in `ocpp-scope --help`. Scripts (a vendor's CI running a
 * replay) rely on them, so they never change meaning.
 */
export const EXIT = {
  /** Done, and nothing was wrong. */
  ok: 0,
  /** Done, but what was checked was not right: a replay differed, a call was answered with an error or not at all. */
  problem: 1,
  /** The command line was wrong: unknown command or option, a bad URL, a missing argument. */
  usage: 2,
  /** The peer could not be reached or refused the connection (DNS, TCP, TLS, HTTP, subprotocol). */
  connection: 3,
  /** A file could not be read or written, or is not what it should be (missing, corrupt). */
  file: 4,
  /** The command or feature is not available in this build. */
  unavailable: 5,
  /** Something unexpected went wrong inside the tool (a bug: please report it). */
  internal: 70,
  /** Stopped by Ctrl+C or SIGTERM before it finished (not listen/serve/proxy, whose normal end is Ctrl+C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    done, nothing wrong
  1    done, but something was not right (a replay differed, a call got an error or no answer)
  2    wrong command line (unknown command or option, bad URL, missing argument)
  3    could not connect (DNS, refused, timeout, TLS, HTTP status, subprotocol)
  4    a file is missing, unreadable or corrupt
  5    not available in this build
  70   internal error (a bug)
  130  interrupted (Ctrl+C, SIGTERM) before the command finished its job; listen, serve and proxy run until
       stopped, so Ctrl+C is how they finish: they exit 0`;

/* cli.h - the help texts generated from doc/newsgraph.txt. */
#ifndef NG_CLI_H
#define NG_CLI_H

typedef struct {
  const char *name;
  const char *summary;
  const char *text;
} NgCliHelp;

extern const char ng_cli_main_help[];
extern const NgCliHelp ng_cli_help[];

#endif

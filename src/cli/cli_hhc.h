/* SPDX-License-Identifier: MPL-2.0 */
/* The home-care variants of `kommute plan` and `kommute check` (cmd_plan_hhc.c). */
#ifndef KOMMUTE_CLI_HHC_H
#define KOMMUTE_CLI_HHC_H

/* 1 if argv names a home-care benchmark input (--mankowska or --hhcrsp). */
int kmt_cli_is_hhc(int argc, char **argv);
/* kommute plan --mankowska FILE | --hhcrsp FILE [-o SOL.json] [--time-limit S] [--iterations N] [--seed N] */
int kmt_cli_plan_hhc(int argc, char **argv);
/* kommute check --mankowska FILE | --hhcrsp FILE SOL.json */
int kmt_cli_check_hhc(int argc, char **argv);

#endif

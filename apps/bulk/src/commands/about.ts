/** What help shows of each command of regdom-bulk: cheap to load, unlike the commands themselves. */
import type { CommandAbout } from "@regdom/cli/program";

export const ABOUT = {
  validate: {
    name: "validate",
    summary: "check manifests offline (exit 0 when valid, 2 with every problem listed)",
    args: "<manifest...>",
  },
  plan: {
    name: "plan",
    summary: "read live state for the managed sections and show what apply would change",
    args: "<manifest...>",
  },
  apply: {
    name: "apply",
    summary: "change the portfolio to match the manifests (or a saved plan), journaled, resumable",
    args: "[manifest...]",
  },
  rollback: {
    name: "rollback",
    summary: "restore what a run (every attempt) may have changed, after reading it live; purchases are not reversible",
    args: "<runDir>",
  },
  check: {
    name: "check",
    summary: "availability of names (DASSE for .se, DASNU for .nu, DAS otherwise); CSV domain,status on stdout",
    args: "[name...]",
  },
  run: {
    name: "run",
    summary:
      "one API action per CSV row (column action; the others are its parameters); a file run again skips done rows",
    args: "<ops.csv>",
  },
  transfers: {
    name: "transfers",
    summary: "follow every transfer in the manifests to the end: pending, completed (new expiry) or failed (reason)",
    args: "<manifest...>",
  },
  expiring: {
    name: "expiring",
    summary:
      "domains whose expiry falls within a window, soonest first; CSV on stdout; exit 4 when any (a nightly job)",
    args: "[manifest...]",
  },
  doctor: {
    name: "doctor",
    summary: "check the endpoint, latency, credentials and (with DOMAIN) each getter's answer; read-only",
    args: "[domain]",
  },
} satisfies Record<string, CommandAbout>;

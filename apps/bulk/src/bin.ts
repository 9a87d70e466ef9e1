#!/usr/bin/env node
import { runBin } from "@regdom/cli/program";
import { main } from "./main.js";

runBin(main);

#!/usr/bin/env node
import { runBin } from "@regdom/cli";
import { main } from "./main.js";

runBin(main);

#!/usr/bin/env node
import { runBin } from "@regdom/core";
import { main } from "./main.js";

runBin(main);

import { AsyncLocalStorage } from "node:async_hooks";
import {
  configure,
  getConsoleSink,
  getJsonLinesFormatter,
  getTextFormatter,
  type LogLevel,
  reset,
} from "@logtape/logtape";
import type { Config } from "./config.ts";

/** Sets up LogTape for the project and for Fedify (which logs through it). */
export async function setupLogging(config: Pick<Config, "logLevel" | "logFormat">): Promise<void> {
  const level: LogLevel = config.logLevel;
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: {
      console: getConsoleSink({
        formatter: config.logFormat === "json" ? getJsonLinesFormatter() : getTextFormatter(),
      }),
    },
    loggers: [
      { category: ["loa"], sinks: ["console"], lowestLevel: level },
      {
        category: ["fedify"],
        sinks: ["console"],
        lowestLevel: level === "debug" ? "info" : "warning",
      },
      { category: ["logtape", "meta"], sinks: ["console"], lowestLevel: "warning" },
    ],
  });
}

export { reset as resetLogging };

import { launchChromium } from "./chromiumEngine";
import type { Engine, EngineName } from "./engine";
import { launchFirefox } from "./firefoxEngine";
import { launchWebKit } from "./webkitEngine";

/** Starts the engine `name` (its browser, driver and display as it needs). */
export function launchEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case "chromium":
      return launchChromium();
    case "firefox":
      return launchFirefox();
    case "webkit":
      return launchWebKit();
  }
}

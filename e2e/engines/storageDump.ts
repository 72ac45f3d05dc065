import { storageInPage } from "../storage";
import type { EngineTab } from "./engine";

/** e2e/storage's dump of everything the page's origin stores, in every engine. */
export function storageDump(tab: EngineTab): Promise<string> {
  return tab.run(storageInPage);
}

/** Whether a storage dump holds an id as a JSON string (also inside a JSON string: escaped quotes). */
export const holds = (dump: string, id: string) => dump.includes(`"${id}"`) || dump.includes(`\\"${id}\\"`);

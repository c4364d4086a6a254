/**
 * The optional new-tab card: one validation question, then get out of the way.
 */
import { currentClient } from "./lib/client.js";
import { localize } from "./lib/i18n.js";
import { mountValidateCard } from "./ui/validate-card.js";

async function main() {
  localize(document);
  const api = await currentClient();
  mountValidateCard(document.getElementById("validate-card"), { api });
}

main();

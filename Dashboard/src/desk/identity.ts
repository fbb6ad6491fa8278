// Who the desk works for. Until sign-in exists, the agent is picked from the workspace's agents (or named in
// ?agent=…) and remembered in this tab. A sign-in page will replace this one module.
import { AgentResource, api } from "../shared/contracts";
import { byId, el, showError } from "../shared/dom";
import { t } from "../shared/i18n";

const storageKey = "routing.desk.agent";

export async function chooseAgent(): Promise<string> {
  const named = new URLSearchParams(location.search).get("agent") ?? sessionStorage.getItem(storageKey);
  if (named) {
    const known = await fetch(`/api/agents/${encodeURIComponent(named)}`, { headers: { accept: "application/json" } });
    if (known.ok) {
      sessionStorage.setItem(storageKey, named);
      return named;
    }
    // No such agent here: say so and offer the choice.
    sessionStorage.removeItem(storageKey);
    history.replaceState(null, "", "/desk");
    showError(t("desk.unknownAgent", { agent: named }));
  }
  const form = byId<HTMLFormElement>("identity");
  const select = byId<HTMLSelectElement>("identity-agent");
  const agents = await api<AgentResource[]>("/api/agents");
  select.replaceChildren(...agents.map((a) => el("option", { value: a.id }, `${a.name} (${a.id})`)));
  form.hidden = false;
  return new Promise((resolve) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      form.hidden = true;
      sessionStorage.setItem(storageKey, select.value);
      resolve(select.value);
    }, { once: true });
  });
}

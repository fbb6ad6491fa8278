// Signing in to the desk and the dashboard. A bearer token from POST /api/auth/token (a built-in account) or, on a
// server running in Development, /api/auth/dev-token, kept in this tab's sessionStorage — one per page, so the desk
// and the dashboard keep their own — and reused until it expires. The form is in each page's HTML (#sign-in and
// #dev-sign-in, hidden until needed). Every API call and hub connection carries the token (contracts.ts, realtime.ts);
// a token the server refuses, or one that runs out while the page is open, brings the form back with a word on why.
import { byId } from "./dom";
import { onLangChange, t } from "./i18n";

export type Role = "admin" | "supervisor" | "agent" | "integration" | "customer";

/** What POST /api/auth/token answers, and the user name it was asked for. */
export interface Session { token: string; expiresAt: string; workspace: string; role: Role; agentId: string | null; userName: string }

export interface SignInOptions {
  /** The page: its session is kept apart from the other page's. */
  page: "desk" | "dashboard";
  /** The roles this page serves; an account of another role is told so and not signed in. */
  roles: Role[];
  /** What the Development sign-in signs in as: an agent (named in #dev-sign-in-agent) or a supervisor. */
  devRole: "agent" | "supervisor";
}

/** A message for the form, kept as a key so a language switch retranslates it. */
interface Notice { key: string; vars?: Record<string, string | number> }

/** A token closer than this to its end is not worth starting with. */
const marginMs = 60_000;
/** A message the form shows after the page reloads (an ended session says why). */
const noticeKey = "routing.signIn.notice";
const workspaceKey = "routing.signIn.workspace";
/** setTimeout's longest wait; a later expiry is checked again then. */
const longestTimer = 2 ** 31 - 1;

let current: Session | null = null;
let storageKey = "";
let shown: Notice | null = null;

onLangChange(() => {
  renderNotice();
  renderWho();
});

/** The token every request and hub connection of a signed-in page carries; none on a page that does not sign in. */
export function bearer(): string | null {
  return current?.token ?? null;
}

/** The session of a role this page serves: the tab's own while it lasts, else the one the sign-in form gets. */
export async function signIn(options: SignInOptions): Promise<Session> {
  storageKey = `routing.session.${options.page}`;
  const stored = read();
  if (stored && options.roles.includes(stored.role) && Date.parse(stored.expiresAt) - Date.now() > marginMs) {
    begin(stored);
    return stored;
  }
  sessionStorage.removeItem(storageKey);
  return showForm(options);
}

/** Forgets the token and starts the page afresh (nothing of the session's state survives), at the form. */
export function signOut(notice?: Notice): void {
  current = null;
  sessionStorage.removeItem(storageKey);
  if (notice) {
    sessionStorage.setItem(noticeKey, JSON.stringify(notice));
  }
  location.reload();
}

/** The server refused the token (it expired, or the key changed): back to the form, saying so. */
export function expire(): void {
  if (current) {
    signOut({ key: "signIn.expired" });
  }
}

function begin(session: Session): void {
  current = session;
  sessionStorage.setItem(storageKey, JSON.stringify(session));
  byId("session").hidden = false;
  renderWho();
  byId("sign-out").addEventListener("click", () => signOut(), { once: true });
  watchExpiry(session);
}

function watchExpiry(session: Session): void {
  const left = Date.parse(session.expiresAt) - Date.now();
  setTimeout(() => {
    if (current !== session) {
      return;
    }
    if (Date.parse(session.expiresAt) <= Date.now()) {
      expire();
    } else {
      watchExpiry(session);
    }
  }, Math.min(Math.max(left, 0), longestTimer));
}

function renderWho(): void {
  if (current) {
    byId("session-who").textContent = t("signIn.who", { user: current.userName, workspace: current.workspace });
  }
}

function showForm(options: SignInOptions): Promise<Session> {
  const form = byId<HTMLFormElement>("sign-in");
  const dev = byId<HTMLFormElement>("dev-sign-in");
  const workspace = byId<HTMLInputElement>("sign-in-workspace");
  const user = byId<HTMLInputElement>("sign-in-user");
  const password = byId<HTMLInputElement>("sign-in-password");
  workspace.value = localStorage.getItem(workspaceKey) ?? "";
  show(takeNotice());
  form.hidden = false;
  user.focus();
  void offerDevelopmentSignIn(dev);

  return new Promise((resolve) => {
    const finish = (session: Session): void => {
      form.hidden = true;
      dev.hidden = true;
      password.value = "";
      show(null);
      begin(session);
      resolve(session);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = workspace.value.trim();
      const body = { workspace: name || undefined, userName: user.value.trim(), password: password.value };
      void attempt(form, "/api/auth/token", body, body.userName, options).then((session) => {
        if (session) {
          if (name) {
            localStorage.setItem(workspaceKey, name);
          } else {
            localStorage.removeItem(workspaceKey);
          }
          finish(session);
        } else {
          password.select();
        }
      });
    });
    dev.addEventListener("submit", (event) => {
      event.preventDefault();
      const agentId = options.devRole === "agent" ? byId<HTMLInputElement>("dev-sign-in-agent").value.trim() : undefined;
      void attempt(dev, "/api/auth/dev-token", { role: options.devRole, agentId }, agentId ?? options.devRole, options)
        .then((session) => session && finish(session));
    });
  });
}

/** Shows the Development sign-in when the server says it has one (GET /api/auth). */
async function offerDevelopmentSignIn(dev: HTMLFormElement): Promise<void> {
  try {
    const response = await fetch("/api/auth", { headers: { accept: "application/json" } });
    const offered = response.ok && ((await response.json()) as { devSignIn?: boolean }).devSignIn === true;
    dev.hidden = !offered || current !== null; // not once signed in meanwhile
  } catch (e) {
    // Without an answer the form still signs in with an account; only the shortcut is not offered.
    console.warn("GET /api/auth failed", e);
  }
}

/** One sign-in request from one of the forms: the session, or null with the refusal shown. */
async function attempt(form: HTMLFormElement, path: string, body: object, userName: string, options: SignInOptions): Promise<Session | null> {
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  show(null);
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      show(refusal(response, await response.json().catch(() => ({}))));
      return null;
    }
    const session = { ...(await response.json()), userName } as Session;
    if (!options.roles.includes(session.role)) {
      show({ key: `signIn.wrongRole.${options.page}`, vars: { role: t(`role.${session.role}`) } });
      return null;
    }
    return session;
  } catch (e) {
    show({ key: "signIn.failed", vars: { message: e instanceof Error ? e.message : String(e) } });
    return null;
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

function refusal(response: Response, problem: { code?: string; detail?: string; title?: string }): Notice {
  const wait = Number(response.headers.get("retry-after"));
  switch (problem.code) {
    case "sign-in-failed":
      return { key: "signIn.wrong" };
    case "account-locked":
      return wait > 0 ? { key: "signIn.locked", vars: { minutes: Math.ceil(wait / 60) } } : { key: "signIn.lockedLater" };
    case "rate-limited":
      return { key: "signIn.rateLimited", vars: { seconds: wait > 0 ? wait : 1 } };
    default:
      return { key: "signIn.failed", vars: { message: problem.detail ?? problem.title ?? String(response.status) } };
  }
}

function show(notice: Notice | null): void {
  shown = notice;
  renderNotice();
}

function renderNotice(): void {
  const box = document.getElementById("sign-in-error");
  if (box) {
    box.textContent = shown ? t(shown.key, shown.vars) : "";
    box.hidden = !shown;
  }
}

function takeNotice(): Notice | null {
  const text = sessionStorage.getItem(noticeKey);
  sessionStorage.removeItem(noticeKey);
  return text ? parse<Notice>(text) : null;
}

function read(): Session | null {
  const text = sessionStorage.getItem(storageKey);
  const session = text ? parse<Session>(text) : null;
  return session?.token && session.expiresAt && session.role ? session : null;
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null; // not ours any more (an older page's format): as if nothing were stored
  }
}

// One <script src="https://routing.example/embed.js"></script> on a business's page: a chat button that opens the
// widget (this server's /chat page) in a panel. The widget keeps its conversation across the page's reloads.
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = script ? new URL(script.src).origin : location.origin;
  const label = script?.dataset.label ?? "Chat";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:12px 18px;border-radius:24px;border:0;background:#1f6feb;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)";
  const frame = document.createElement("iframe");
  frame.title = label;
  frame.src = `${origin}/chat?embedded=1`;
  frame.hidden = true;
  frame.style.cssText = "position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 100px));border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff";
  button.addEventListener("click", () => {
    frame.hidden = !frame.hidden;
    button.setAttribute("aria-expanded", String(!frame.hidden));
  });
  document.body.append(frame, button);
})();

// English and Simplified Chinese for every page. The language defaults to the browser's and is remembered once
// switched; numbers and dates follow the chosen language's locale.

export type Lang = "en" | "zh";

const dictionaries: Record<Lang, Record<string, string>> = {
  en: {
    "lang.label": "Language",
    "nav.dashboard": "Dashboard",
    "nav.desk": "Desk",
    "nav.chat": "Chat",
    "conn.lost": "Connection lost — reconnecting…",
    "conn.back": "Reconnected",
    "dash.title": "Queues",
    "dash.queues": "Queues",
    "dash.queue": "Queue",
    "dash.waiting": "Waiting",
    "dash.longest": "Longest wait",
    "dash.agents": "Agents avail / busy / away / offline",
    "dash.sl": "Service level",
    "dash.asa": "ASA",
    "dash.aht": "AHT",
    "dash.ewt": "Est. wait",
    "dash.counts": "Offered / connected / abandoned",
    "dash.selfService": "Self-service: resolved / to a person",
    "dash.state.ok": "On target",
    "dash.state.risk": "At risk",
    "dash.state.breach": "Below target",
    "dash.state.idle": "No data",
    "dash.chart.waiting": "Waiting, last hour",
    "dash.chart.sl": "Service level %, last hour",
    "dash.agentsTitle": "Agents",
    "dash.search": "Search agents",
    "dash.agent": "Agent",
    "dash.status": "Status",
    "dash.inStatus": "Time in status",
    "dash.load": "Load per channel",
    "dash.occupancy": "Occupancy",
    "dash.setStatus": "Set status",
    "dash.apply": "Apply",
    "dash.drill": "Waiting in {queue}",
    "dash.customer": "Customer",
    "dash.tier": "Tier",
    "dash.wait": "Wait",
    "dash.skills": "Skills (step in force)",
    "dash.declined": "Declined by",
    "dash.move": "Move to",
    "dash.moveButton": "Move",
    "dash.unservable": "No agent can serve this",
    "dash.offering": "being offered",
    "dash.none": "Nobody is waiting.",
    "dash.close": "Close",
    "state.WrapUp": "wrap-up",
    "state.Completed": "completed",
    "state.Queued": "back in line",
    "state.Offered": "offered elsewhere",
    "state.Connected": "connected",
    "state.Abandoned": "abandoned",
    "state.SelfService": "with the assistant",
    "state.Resolved": "resolved by self-service",
    "status.Available": "Available",
    "status.Away": "Away",
    "status.Offline": "Offline",
    "desk.title": "Agent desk",
    "desk.conversations": "My conversations",
    "desk.unknownAgent": "This account is for agent '{agent}', and there is no such agent in its workspace.",
    "desk.status": "My status",
    "desk.reason": "Reason",
    "desk.setStatus": "Set",
    "desk.offer": "New conversation offered",
    "desk.accept": "Accept",
    "desk.decline": "Decline",
    "desk.expiresIn": "Answer within {seconds} s",
    "desk.waited": "waited {wait}",
    "desk.empty": "No conversations yet. Set yourself Available to receive offers.",
    "desk.message": "Message",
    "desk.send": "Send",
    "desk.complete": "Complete",
    "desk.disposition": "Disposition",
    "desk.noDisposition": "Disposition: none",
    "desk.transferQueue": "Transfer to queue",
    "desk.transferAgent": "Transfer to agent",
    "desk.transfer": "Transfer",
    "desk.details": "Customer",
    "desk.ended": "This conversation has ended ({state}).",
    "desk.customerSays": "Customer",
    "desk.you": "You",
    "canned.hint": "Type / at the start of the message, or press {shortcut}, to insert an answer from the knowledge base or one of your saved replies.",
    "canned.list": "Answers from the knowledge base and your saved replies",
    "canned.search": "Search answers",
    "canned.keys": "↑ ↓ choose · Enter insert · Shift+Delete delete yours · Esc close",
    "canned.searching": "Searching…",
    "canned.one": "1 answer",
    "canned.count": "{count} answers",
    "canned.none": "No answer found.",
    "canned.prompt": "Type a few words to search the knowledge base.",
    "canned.failed": "The search did not work: {message}",
    "canned.lang.en": "English",
    "canned.lang.zh": "Chinese",
    "canned.customer": "valued customer",
    "canned.mine": "Mine",
    "canned.delete": "Delete “{title}”",
    "canned.deleted": "Deleted your reply “{title}”.",
    "canned.deleteFailed": "The reply was not deleted: {message}",
    "canned.save": "Save as my reply",
    "canned.saveTitle": "Title of the reply",
    "canned.saveConfirm": "Save",
    "canned.cancel": "Cancel",
    "canned.saved": "Saved “{title}”: type / and its words to insert it.",
    "canned.saveEmpty": "Write the reply first, then save it.",
    "canned.saveFailed": "The reply was not saved: {message}",
    "chat.title": "Chat with us",
    "chat.name": "Your name",
    "chat.topic": "Topic",
    "chat.start": "Start chat",
    "chat.position": "You are number {position} in line",
    "chat.next": "You are next in line",
    "chat.eta": "Estimated wait: {wait}",
    "chat.connecting": "Finding someone to help you…",
    "chat.agentJoined": "{agent} joined the conversation",
    "chat.message": "Message",
    "chat.send": "Send",
    "chat.leave": "Leave",
    "chat.ended": "The conversation has ended.",
    "chat.rate": "How did we do?",
    "chat.thanks": "Thank you for your rating!",
    "chat.again": "Start a new chat",
    "chat.you": "You",
    "chat.agent": "Agent",
    "chat.expired": "Your earlier chat could not be continued. You can start a new one.",
    "chat.assistant": "Assistant",
    "chat.self.intro": "Ask your question: our assistant answers right away. You can talk to a person at any time.",
    "chat.self.person": "Talk to a person",
    "chat.self.solved": "This answers my question",
    "chat.self.resolved": "Glad we could help. The conversation has ended.",
    "chat.self.full": "All our agents are busy and the line is full right now. Please try again in a few minutes.",
    "chat.self.suggested": "Answers that may help",
    "signIn.title": "Sign in",
    "signIn.workspace": "Workspace (optional)",
    "signIn.userName": "User name",
    "signIn.password": "Password",
    "signIn.submit": "Sign in",
    "signIn.wrong": "The user name or the password is wrong.",
    "signIn.locked": "Too many failed sign-ins: this account is locked. Try again in {minutes} min.",
    "signIn.lockedLater": "Too many failed sign-ins: this account is locked for a while.",
    "signIn.rateLimited": "Too many attempts. Try again in {seconds} s.",
    "signIn.failed": "Signing in did not work: {message}",
    "signIn.expired": "Your session has ended. Sign in again.",
    "signIn.wrongRole.desk": "The desk is for agents; this account's role is {role}.",
    "signIn.wrongRole.dashboard": "The dashboard is for supervisors and admins; this account's role is {role}.",
    "signIn.who": "{user} · {workspace}",
    "signIn.signOut": "Sign out",
    "signIn.dev.title": "Development sign-in",
    "signIn.dev.note": "This server runs in Development: anyone may sign in without a password.",
    "signIn.dev.agent": "Agent id",
    "signIn.dev.asAgent": "Sign in as this agent",
    "signIn.dev.asSupervisor": "Sign in as a supervisor",
    "role.admin": "admin",
    "role.supervisor": "supervisor",
    "role.agent": "agent",
    "role.integration": "integration",
    "role.customer": "customer",
    "error": "Something went wrong: {message}",
  },
  zh: {
    "lang.label": "语言",
    "nav.dashboard": "监控看板",
    "nav.desk": "坐席工作台",
    "nav.chat": "在线咨询",
    "conn.lost": "连接已断开，正在重新连接…",
    "conn.back": "已重新连接",
    "dash.title": "队列",
    "dash.queues": "队列",
    "dash.queue": "队列",
    "dash.waiting": "等待中",
    "dash.longest": "最长等待",
    "dash.agents": "坐席 空闲 / 忙碌 / 暂离 / 离线",
    "dash.sl": "服务水平",
    "dash.asa": "平均应答",
    "dash.aht": "平均处理",
    "dash.ewt": "预计等待",
    "dash.counts": "分配 / 接通 / 放弃",
    "dash.selfService": "自助服务：已解决 / 转人工",
    "dash.state.ok": "达标",
    "dash.state.risk": "有风险",
    "dash.state.breach": "未达标",
    "dash.state.idle": "暂无数据",
    "dash.chart.waiting": "等待数（近一小时）",
    "dash.chart.sl": "服务水平 %（近一小时）",
    "dash.agentsTitle": "坐席",
    "dash.search": "搜索坐席",
    "dash.agent": "坐席",
    "dash.status": "状态",
    "dash.inStatus": "状态时长",
    "dash.load": "各渠道负载",
    "dash.occupancy": "占用率",
    "dash.setStatus": "设置状态",
    "dash.apply": "应用",
    "dash.drill": "{queue} 中等待的会话",
    "dash.customer": "客户",
    "dash.tier": "等级",
    "dash.wait": "等待",
    "dash.skills": "技能（当前阶段）",
    "dash.declined": "拒绝过的坐席",
    "dash.move": "转移到",
    "dash.moveButton": "转移",
    "dash.unservable": "没有坐席能处理此会话",
    "dash.offering": "正在分配",
    "dash.none": "目前无人等待。",
    "dash.close": "关闭",
    "state.WrapUp": "善后处理",
    "state.Completed": "已完成",
    "state.Queued": "已回到队列",
    "state.Offered": "已分配给他人",
    "state.Connected": "已接通",
    "state.Abandoned": "客户已离开",
    "state.SelfService": "智能助手接待中",
    "state.Resolved": "自助已解决",
    "status.Available": "空闲",
    "status.Away": "暂离",
    "status.Offline": "离线",
    "desk.title": "坐席工作台",
    "desk.conversations": "我的会话",
    "desk.unknownAgent": "此账户对应坐席「{agent}」，但其工作区中没有这位坐席。",
    "desk.status": "我的状态",
    "desk.reason": "原因",
    "desk.setStatus": "设置",
    "desk.offer": "新会话分配给您",
    "desk.accept": "接受",
    "desk.decline": "拒绝",
    "desk.expiresIn": "请在 {seconds} 秒内应答",
    "desk.waited": "已等待 {wait}",
    "desk.empty": "暂无会话。将状态设为空闲即可接收会话。",
    "desk.message": "消息",
    "desk.send": "发送",
    "desk.complete": "结束",
    "desk.disposition": "处理结果",
    "desk.noDisposition": "处理结果：未选择",
    "desk.transferQueue": "转接到队列",
    "desk.transferAgent": "转接到坐席",
    "desk.transfer": "转接",
    "desk.details": "客户",
    "desk.ended": "此会话已结束（{state}）。",
    "desk.customerSays": "客户",
    "desk.you": "我",
    "canned.hint": "在消息开头输入 /，或按 {shortcut}，即可插入知识库中的答案或您保存的回复。",
    "canned.list": "知识库中的答案和您保存的回复",
    "canned.search": "搜索答案",
    "canned.keys": "↑ ↓ 选择 · Enter 插入 · Shift+Delete 删除我的回复 · Esc 关闭",
    "canned.searching": "正在搜索…",
    "canned.one": "1 个答案",
    "canned.count": "{count} 个答案",
    "canned.none": "没有找到答案。",
    "canned.prompt": "输入几个词来搜索知识库。",
    "canned.failed": "搜索未成功：{message}",
    "canned.lang.en": "英文",
    "canned.lang.zh": "中文",
    "canned.customer": "尊敬的客户",
    "canned.mine": "我的",
    "canned.delete": "删除“{title}”",
    "canned.deleted": "已删除您的回复“{title}”。",
    "canned.deleteFailed": "回复未能删除：{message}",
    "canned.save": "保存为我的回复",
    "canned.saveTitle": "回复标题",
    "canned.saveConfirm": "保存",
    "canned.cancel": "取消",
    "canned.saved": "已保存“{title}”：输入 / 和其中的词语即可插入。",
    "canned.saveEmpty": "请先写好回复再保存。",
    "canned.saveFailed": "回复未能保存：{message}",
    "chat.title": "在线咨询",
    "chat.name": "您的姓名",
    "chat.topic": "咨询类别",
    "chat.start": "开始咨询",
    "chat.position": "您前面还有 {position} 位",
    "chat.next": "下一位就是您",
    "chat.eta": "预计等待：{wait}",
    "chat.connecting": "正在为您寻找客服…",
    "chat.agentJoined": "{agent} 已加入会话",
    "chat.message": "消息",
    "chat.send": "发送",
    "chat.leave": "离开",
    "chat.ended": "会话已结束。",
    "chat.rate": "请为本次服务评分",
    "chat.thanks": "感谢您的评价！",
    "chat.again": "开始新的咨询",
    "chat.you": "我",
    "chat.agent": "客服",
    "chat.expired": "之前的咨询已无法继续，您可以重新开始咨询。",
    "chat.assistant": "智能助手",
    "chat.self.intro": "请直接输入您的问题，智能助手会马上回答。您随时可以转人工客服。",
    "chat.self.person": "转人工客服",
    "chat.self.solved": "已解决我的问题",
    "chat.self.resolved": "很高兴能帮到您，本次会话已结束。",
    "chat.self.full": "人工客服正忙，排队人数已满，请过几分钟再试。",
    "chat.self.suggested": "可能对您有帮助的答案",
    "signIn.title": "登录",
    "signIn.workspace": "工作区（可选）",
    "signIn.userName": "用户名",
    "signIn.password": "密码",
    "signIn.submit": "登录",
    "signIn.wrong": "用户名或密码错误。",
    "signIn.locked": "登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试。",
    "signIn.lockedLater": "登录失败次数过多，账户已暂时锁定。",
    "signIn.rateLimited": "尝试次数过多，请 {seconds} 秒后再试。",
    "signIn.failed": "登录未成功：{message}",
    "signIn.expired": "登录已失效，请重新登录。",
    "signIn.wrongRole.desk": "坐席工作台仅供坐席使用；此账户的角色是{role}。",
    "signIn.wrongRole.dashboard": "监控看板仅供主管和管理员使用；此账户的角色是{role}。",
    "signIn.who": "{user} · {workspace}",
    "signIn.signOut": "退出登录",
    "signIn.dev.title": "开发环境登录",
    "signIn.dev.note": "此服务器运行在开发环境中：任何人都可以免密码登录。",
    "signIn.dev.agent": "坐席 ID",
    "signIn.dev.asAgent": "以此坐席登录",
    "signIn.dev.asSupervisor": "以主管身份登录",
    "role.admin": "管理员",
    "role.supervisor": "主管",
    "role.agent": "坐席",
    "role.integration": "集成",
    "role.customer": "客户",
    "error": "出错了：{message}",
  },
};

const storageKey = "routing.lang";
let current: Lang = initial();
const listeners: Array<() => void> = [];

function initial(): Lang {
  const saved = localStorage.getItem(storageKey);
  if (saved === "en" || saved === "zh") {
    return saved;
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang(): Lang {
  return current;
}

/** The locale for numbers and dates: the browser's own when it speaks the chosen language. */
export function locale(): string {
  const browser = navigator.language;
  if (current === "zh") {
    return browser.toLowerCase().startsWith("zh") ? browser : "zh-CN";
  }
  return browser.toLowerCase().startsWith("en") ? browser : "en";
}

export function t(key: string, vars: Record<string, string | number> = {}): string {
  return translate(current, key, vars);
}

/**
 * A text in a given language rather than the page's: what goes to the customer follows the language of the answer it
 * fills, whatever language the agent reads the desk in. A language the pages do not have falls back to the page's.
 */
export function translate(language: string, key: string, vars: Record<string, string | number> = {}): string {
  const dictionary = language === "en" || language === "zh" ? dictionaries[language] : dictionaries[current];
  const text = dictionary[key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(storageKey, next);
  apply(document);
  listeners.forEach((l) => l());
}

export function onLangChange(listener: () => void): void {
  listeners.push(listener);
}

/** Fills every element marked with data-i18n (text), data-i18n-placeholder and data-i18n-label (aria-label). */
export function apply(root: ParentNode): void {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  const title = document.documentElement.dataset.title;
  if (title) {
    document.title = `${t(title)} — Routing`;
  }
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((e) => (e.textContent = t(e.dataset.i18n!)));
  root.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]").forEach((e) => (e.placeholder = t(e.dataset.i18nPlaceholder!)));
  root.querySelectorAll<HTMLElement>("[data-i18n-label]").forEach((e) => e.setAttribute("aria-label", t(e.dataset.i18nLabel!)));
}

/** Wires the page's language switch (a select with id "lang") and translates the page. */
export function setUpLanguage(): void {
  const select = document.getElementById("lang") as HTMLSelectElement | null;
  if (select) {
    select.value = current;
    select.addEventListener("change", () => setLang(select.value as Lang));
  }
  apply(document);
}

import type { CaseStatus, Category, Urgency } from "../bot/complaint.ts";

/** Staff-facing short names; the bot's own labels are written for residents. */
export const CATEGORY_SHORT: Record<Category, string> = {
  governance: "业主组织建设",
  fees: "物业收费",
  safety: "安全隐患",
  service_quality: "服务质量",
  coverage: "老旧小区无物业",
  misconduct: "物业违规行为",
  other: "其他",
};

export const STATUS_SHORT: Record<CaseStatus, string> = {
  new: "待审核",
  forwarded: "已转交",
  in_progress: "处理中",
  resolved: "已处理",
  closed: "已办结",
  rejected: "不予受理",
  duplicate: "已合并",
};

export const URGENCY_SHORT: Record<Urgency, string> = {
  emergency: "紧急",
  high: "较急",
  normal: "一般",
};

export const SOURCE_LABELS: Record<string, string> = {
  bot: "机器人",
  staff: "工作人员",
  backend: "对接系统",
};

export const ACTION_LABELS: Record<string, string> = {
  edit: "修改信息",
  forward: "审核通过并转交",
  reject: "不予受理",
  duplicate: "标记为重复",
  assign: "指派经办人",
  note: "添加内部备注",
  close: "办结",
  login: "登录",
  login_failed: "登录失败",
  logout: "退出",
  user_created: "新建账号",
  user_disabled: "停用账号",
  user_enabled: "启用账号",
  password_changed: "修改密码",
  export: "导出",
};

export const FIELD_LABELS: Record<string, string> = {
  category: "类别",
  district: "区县",
  community: "小区",
  urgency: "紧急程度",
  location: "具体位置",
  company: "物业公司",
  assignee: "经办人",
};

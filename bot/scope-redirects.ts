/** The polite redirect for what the sources do not cover, when no one more fitting can be named. */
export const DEFAULT_REDIRECT =
  "我只能解答物业管理方面的问题（物业收费、业主大会、业委会、维修资金、小区安全、投诉等）。其他事项可拨打 12345 政务服务热线咨询。";

/** The prompt texts the engine sends to a model, loaded from prompts/ by the caller. */
export interface Prompts {
  answerSystem: string;
  complaintSystem: string;
  intentSystem: string;
}

import type { ConversationJson } from "../../payloads/generate-conversation.ts";
import { readJsonFile, writeJsonFile } from "../json-file.ts";

/** The conversations the sandbox generated, by uid, so that its Integration API can serve them. */
export interface ConversationStore {
  get(uid: string): ConversationJson | undefined;
  put(conversation: ConversationJson): void;
}

/** `file` null keeps them in memory only. */
export function createConversationStore(file: string | null): ConversationStore {
  const conversations = new Map<string, ConversationJson>(
    Object.entries(file === null ? {} : readJsonFile<Record<string, ConversationJson>>(file, {})),
  );
  return {
    get: (uid) => conversations.get(uid.toLowerCase()),
    put(conversation) {
      conversations.set(conversation.uid.toLowerCase(), conversation);
      if (file !== null) writeJsonFile(file, Object.fromEntries(conversations));
    },
  };
}

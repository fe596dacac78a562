/** Where this data directory keeps secrets: the OS keychain, or an encrypted vault file (once one exists). */
export type SecretBackend = 'keychain' | 'vault';

export interface SecretsStatus {
  backend: SecretBackend;
  keychain: 'available' | 'unavailable';
  vault: 'none' | 'locked' | 'unlocked';
}

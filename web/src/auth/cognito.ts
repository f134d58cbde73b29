// The Cognito user pool's public API, without an SDK (JSON calls): sign-in
// with USER_PASSWORD_AUTH over TLS, as the app client allows, the second
// factor (an authenticator app), a forgotten password, sign-out.

export interface Tokens {
  idToken: string;
  /** For the user's own Cognito calls (the second factor). */
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires, in ms since the epoch. */
  expiresAt: number;
}

export type SignInResult =
  | { kind: "signed-in"; tokens: Tokens }
  | { kind: "challenge"; challenge: string; session: string };

/** A French message for what Cognito refused. */
export class SignInError extends Error {}

interface AuthenticationResult {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
}

const FRENCH: Record<string, string> = {
  NotAuthorizedException: "E-mail ou mot de passe incorrect.",
  UserNotFoundException: "E-mail ou mot de passe incorrect.",
  PasswordResetRequiredException: "Votre mot de passe doit être réinitialisé.",
  UserNotConfirmedException: "Votre compte n'est pas encore activé : suivez le lien de l'invitation.",
  TooManyRequestsException: "Trop de tentatives : réessayez dans quelques minutes.",
  LimitExceededException: "Trop de tentatives : réessayez dans quelques minutes.",
  CodeMismatchException: "Ce code n'est pas le bon : vérifiez-le et réessayez.",
  EnableSoftwareTokenMFAException: "Ce code n'est pas le bon : vérifiez l'heure de votre téléphone et réessayez.",
  ExpiredCodeException: "Ce code n'est plus valable : demandez-en un nouveau.",
  InvalidPasswordException: "Ce mot de passe ne respecte pas les règles indiquées.",
};

async function call(url: string, action: string, body: unknown): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError("Le service de connexion ne répond pas : vérifiez votre connexion.");
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = String(json.__type ?? "").split("#").pop() ?? "";
    throw new SignInError(FRENCH[type] ?? "La connexion a échoué : réessayez.");
  }
  return json;
}

function tokensOf(result: AuthenticationResult, refreshToken?: string): Tokens {
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken ?? refreshToken ?? "",
    expiresAt: Date.now() + result.ExpiresIn * 1000,
  };
}

export class Cognito {
  constructor(
    private readonly url: string,
    private readonly clientId: string,
  ) {}

  async signIn(email: string, password: string): Promise<SignInResult> {
    const answer = await call(this.url, "InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    if (answer.AuthenticationResult) {
      return { kind: "signed-in", tokens: tokensOf(answer.AuthenticationResult as AuthenticationResult) };
    }
    return { kind: "challenge", challenge: String(answer.ChallengeName), session: String(answer.Session) };
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const answer = await call(this.url, "InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return tokensOf(answer.AuthenticationResult as AuthenticationResult, refreshToken);
  }

  /** The second step of a sign-in when the user has enrolled an authenticator app. */
  async answerTotp(email: string, session: string, code: string): Promise<Tokens> {
    const answer = await call(this.url, "RespondToAuthChallenge", {
      ClientId: this.clientId,
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      Session: session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
    });
    return tokensOf(answer.AuthenticationResult as AuthenticationResult);
  }

  /** Is the authenticator app the user's second factor? */
  async totpEnabled(accessToken: string): Promise<boolean> {
    const user = await call(this.url, "GetUser", { AccessToken: accessToken });
    return ((user.UserMFASettingList as string[] | undefined) ?? []).includes("SOFTWARE_TOKEN_MFA");
  }

  /** A new secret for an authenticator app (shown as a QR code). */
  async newTotpSecret(accessToken: string): Promise<string> {
    const answer = await call(this.url, "AssociateSoftwareToken", { AccessToken: accessToken });
    return String(answer.SecretCode);
  }

  /** Checks the app's first code, then asks for it at every sign-in. */
  async enableTotp(accessToken: string, code: string): Promise<void> {
    await call(this.url, "VerifySoftwareToken", { AccessToken: accessToken, UserCode: code, FriendlyDeviceName: "designa" });
    await call(this.url, "SetUserMFAPreference", {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  }

  /**
   * Sends a code by e-mail to reset a forgotten password. An unknown address
   * is not told apart, so the form reveals nothing about who has an account.
   */
  async forgotPassword(email: string): Promise<void> {
    try {
      await call(this.url, "ForgotPassword", { ClientId: this.clientId, Username: email });
    } catch (error) {
      if (!(error instanceof SignInError) || error.message !== FRENCH.UserNotFoundException) throw error;
    }
  }

  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    await call(this.url, "ConfirmForgotPassword", {
      ClientId: this.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: password,
    });
  }

  async revoke(refreshToken: string): Promise<void> {
    await call(this.url, "RevokeToken", { Token: refreshToken, ClientId: this.clientId }).catch(() => undefined);
  }
}

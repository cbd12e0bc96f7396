namespace Eventd.Gateway.Auth;

/// <summary>A project key as stored: never the secret, only its SHA-256.</summary>
public sealed record SecretKeyRecord(string Name, string Project, string Environment, DateTimeOffset CreatedAt, string Hash);

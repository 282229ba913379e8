using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TicketHub.ServiceDefaults.Security;

/// <summary>Reads the keys of <see cref="InternalTokenOptions"/> and builds what checks a token.</summary>
public static class InternalTokens
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>The public key, or an exception naming the missing or unreadable setting.</summary>
    public static ECDsaSecurityKey LoadPublicKey(InternalTokenOptions options)
    {
        var pem = ReadPem(options.PublicKey, options.PublicKeyFile, "PublicKey");
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    /// <summary>The private key (gateway only), or an exception naming the missing or unreadable setting.</summary>
    public static ECDsaSecurityKey LoadSigningKey(InternalTokenOptions options)
    {
        var pem = ReadPem(options.SigningKey, options.SigningKeyFile, "SigningKey");
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    public static TokenValidationParameters ValidationParameters(InternalTokenOptions options, SecurityKey publicKey) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = publicKey,
        ValidAlgorithms = [Algorithm],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = HubClaimTypes.Name,
        RoleClaimType = HubClaimTypes.Role,
    };

    /// <summary>A token for <paramref name="user"/>, signed with <paramref name="signingKey"/>.</summary>
    public static string Issue(HubUser user, InternalTokenOptions options, SecurityKey signingKey, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(user.ToClaims()),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(options.Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, Algorithm),
        });

    /// <summary>A new P-256 key pair as PEM (private PKCS#8, public SubjectPublicKeyInfo): for tests and first starts.</summary>
    public static (string PrivatePem, string PublicPem) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    private static string ReadPem(string? inline, string? file, string name)
    {
        if (!string.IsNullOrWhiteSpace(inline))
        {
            return inline;
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidOperationException(
                $"{InternalTokenOptions.SectionName}:{name} (PEM) or {InternalTokenOptions.SectionName}:{name}File must be set.");
        }

        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{InternalTokenOptions.SectionName}:{name}File names a file that does not exist: {file}");
        }

        return File.ReadAllText(file);
    }

    private static string KeyId(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}

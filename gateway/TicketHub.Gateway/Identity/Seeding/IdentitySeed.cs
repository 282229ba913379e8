using System.Text.Json;
using System.Text.Json.Serialization;
using TicketHub.Gateway.Identity.ApiKeys;

namespace TicketHub.Gateway.Identity.Seeding;

/// <summary>
/// The file named by <c>Identity:SeedFile</c>: accounts and API keys to create at start. Secrets
/// may be given plainly (<c>password</c>, <c>key</c>: hashed on import, for the sandbox) or already
/// hashed (<c>passwordHash</c>, <c>id</c> + <c>secretSha256</c>: for a real deployment's file).
/// </summary>
public sealed class IdentitySeed
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Free text for the reader of the file (e.g. "sandbox only").</summary>
    public string? Notice { get; set; }

    public List<SeedAccount> Accounts { get; set; } = [];

    public List<SeedApiKey> ApiKeys { get; set; } = [];

    public static IdentitySeed Parse(string json) =>
        JsonSerializer.Deserialize<IdentitySeed>(json, Json) ?? throw new JsonException("The seed file is empty (null).");

    /// <summary>What is wrong with the file, in French, one line per entry; never a secret.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var logins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Accounts.Count; i++)
        {
            var account = Accounts[i];
            var where = $"accounts[{i}] ({account.Login})";
            if (string.IsNullOrWhiteSpace(account.Login) || account.Login.Trim().Length > 100 || account.Login.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add($"{where} : identifiant vide, trop long ou contenant des espaces");
            }
            else if (!logins.Add(account.Login.Trim()))
            {
                errors.Add($"{where} : identifiant en double");
            }

            if (string.IsNullOrWhiteSpace(account.DisplayName))
            {
                errors.Add($"{where} : displayName est obligatoire");
            }

            if (HubPrincipals.CheckRole(account.Role, account.Uai) is { } roleProblem)
            {
                errors.Add($"{where} : {roleProblem}");
            }

            if (string.IsNullOrEmpty(account.Password) == string.IsNullOrEmpty(account.PasswordHash))
            {
                errors.Add($"{where} : donner soit password, soit passwordHash");
            }
            else if (account.Password is { Length: < 8 })
            {
                errors.Add($"{where} : mot de passe trop court (8 caractères au moins)");
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var id = key.ResolveId();
            var where = $"apiKeys[{i}] ({key.Name})";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"{where} : name est obligatoire");
            }

            if (HubPrincipals.CheckRole(key.Role, key.Uai) is { } roleProblem)
            {
                errors.Add($"{where} : {roleProblem}");
            }

            if (key.Key is not null)
            {
                if (key.Id is not null || key.SecretSha256 is not null)
                {
                    errors.Add($"{where} : donner soit key, soit id et secretSha256");
                }
                else if (id is null)
                {
                    errors.Add($"{where} : la clé n'a pas le format {ApiKeyFormat.Prefix}<id>_<secret> (id : 3 à 40 minuscules ou chiffres ; secret : {ApiKeyFormat.MinSecretLength} caractères au moins)");
                }
            }
            else if (!ApiKeyFormat.IsValidId(key.Id) || key.SecretSha256 is null || !IsSha256Hex(key.SecretSha256))
            {
                errors.Add($"{where} : donner key, ou id (3 à 40 minuscules ou chiffres) et secretSha256 (64 caractères hexadécimaux)");
            }

            if (id is not null && !ids.Add(id))
            {
                errors.Add($"{where} : identifiant de clé « {id} » en double");
            }
        }

        return errors;
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);
}

public sealed class SeedAccount
{
    public string Login { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Role { get; set; } = "";

    public string? Uai { get; set; }

    /// <summary>Plain password: the sandbox's. Hashed on import, never stored or logged.</summary>
    public string? Password { get; set; }

    /// <summary>A hash made by ASP.NET Core Identity's PasswordHasher (V3 format).</summary>
    public string? PasswordHash { get; set; }

    public bool Disabled { get; set; }
}

public sealed class SeedApiKey
{
    public string Name { get; set; } = "";

    public string Role { get; set; } = "";

    public string? Uai { get; set; }

    /// <summary>The whole key, <c>thk_&lt;id&gt;_&lt;secret&gt;</c>: the sandbox's. Only its hash is stored.</summary>
    public string? Key { get; set; }

    /// <summary>With <see cref="SecretSha256"/>, instead of <see cref="Key"/>.</summary>
    public string? Id { get; set; }

    public string? SecretSha256 { get; set; }

    /// <summary>True revokes the key (also one created by an earlier start).</summary>
    public bool Revoked { get; set; }

    public string? ResolveId() =>
        Key is not null
            ? ApiKeyFormat.TryParse(Key, out var id, out _) ? id : null
            : Id;

    public string? ResolveSecretHash() =>
        Key is not null
            ? ApiKeyFormat.TryParse(Key, out _, out var secret) ? ApiKeyFormat.Hash(secret) : null
            : SecretSha256?.ToLowerInvariant();
}

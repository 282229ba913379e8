using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketHub.Gateway.Identity.ApiKeys;

/// <summary>
/// An API key reads <c>thk_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the stored key, the secret
/// (at least 32 characters of a random value) is compared with the stored SHA-256 in constant
/// time. Only the hash is stored; a key lost is replaced, never recovered.
/// </summary>
public static partial class ApiKeyFormat
{
    public const string Prefix = "thk_";

    public const int MinSecretLength = 32;

    /// <summary>Splits <paramref name="key"/>; false when it does not have the format.</summary>
    public static bool TryParse(string? key, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = null;
        secret = null;
        if (key is null || key.Length > 300)
        {
            return false;
        }

        var match = KeyPattern().Match(key);
        if (!match.Success)
        {
            return false;
        }

        id = match.Groups["id"].Value;
        secret = match.Groups["secret"].Value;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> can name a key (lower-case letters and digits, 3 to 40).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The stored form of a secret: SHA-256, lower-case hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, string storedHash)
    {
        var expected = Encoding.ASCII.GetBytes(storedHash);
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A new key with id <paramref name="id"/> and a 256-bit random secret.</summary>
    public static string New(string id)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException("An API key id is 3 to 40 lower-case letters or digits.", nameof(id));
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');
        return $"{Prefix}{id}_{secret}";
    }

    [GeneratedRegex(@"^thk_(?<id>[a-z0-9]{3,40})_(?<secret>[A-Za-z0-9_\-]{32,256})$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[a-z0-9]{3,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

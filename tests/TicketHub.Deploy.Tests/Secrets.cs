using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

internal static partial class Secrets
{
    /// <summary>The placeholder of the Kubernetes Secrets.</summary>
    public const string KubernetesPlaceholder = "CHANGE-ME";

    /// <summary>The placeholder of .env.example.</summary>
    public const string EnvPlaceholder = "change-me";

    /// <summary>
    /// Whether a setting's name says it holds a secret: a password, a token, an API key, a client
    /// secret, a private key. A setting naming a file or folder (<c>SigningKeyFile</c>) holds a path.
    /// </summary>
    public static bool LooksSecret(string name)
    {
        var last = name.Split("__").Last().Split(':').Last();
        return !last.EndsWith("File", StringComparison.OrdinalIgnoreCase) && !last.EndsWith("Folder", StringComparison.OrdinalIgnoreCase) && SecretName().IsMatch(last);
    }

    [GeneratedRegex("password|_pass$|token|secret|api_?key|signingkey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}

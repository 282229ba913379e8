using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

/// <summary>deploy/compose: the compose file, its .env.example, and the settings it gives each service.</summary>
internal static partial class Compose
{
    public const string Folder = "deploy/compose";
    public const string File = $"{Folder}/compose.yaml";
    public const string EnvExample = $"{Folder}/.env.example";

    public static readonly Lazy<Dictionary<string, object?>> Document = new(() => Yaml.Load(File));

    public static Dictionary<string, object?> Services => Document.Value.MapAt("services");

    public static Dictionary<string, object?> Service(string name) =>
        Services.TryGetValue(name, out var service) && service is Dictionary<string, object?> map
            ? map
            : throw new AssertionException($"{File} has no service '{name}'.");

    /// <summary>The variables of .env.example, as written (placeholders).</summary>
    public static readonly Lazy<Dictionary<string, string>> ExampleVariables = new(() =>
        Repository.Read(EnvExample).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts.Length > 1 ? parts[1].Trim() : "", StringComparer.Ordinal));

    /// <summary>The <c>${VARIABLE…}</c> references of a value: name, operator (<c>:-</c>, <c>:?</c> or none) and its argument.</summary>
    public static IEnumerable<(string Name, string Operator, string Argument)> References(string value) =>
        Reference().Matches(value).Select(match => (match.Groups["name"].Value, match.Groups["op"].Value, match.Groups["arg"].Value));

    /// <summary><paramref name="value"/> with each reference replaced as compose would with the .env made from .env.example.</summary>
    public static string Resolve(string value) =>
        Reference().Replace(value, match =>
        {
            var example = ExampleVariables.Value.GetValueOrDefault(match.Groups["name"].Value);
            return !string.IsNullOrEmpty(example) ? example
                : match.Groups["op"].Value.EndsWith('-') ? match.Groups["arg"].Value
                : "";
        });

    /// <summary>The environment compose gives <paramref name="service"/> (keys with ':'), values resolved.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string service) =>
        Service(service).StringsAt("environment")
            .ToDictionary(entry => entry.Key.Replace("__", ":", StringComparison.Ordinal), entry => Resolve(entry.Value), StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}")]
    private static partial Regex Reference();
}

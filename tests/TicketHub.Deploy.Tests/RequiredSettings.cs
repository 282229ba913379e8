using System.Text.Json;
using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

/// <summary>A setting a service needs: any one of <see cref="Keys"/> (configuration keys, with ':'), and where the need comes from.</summary>
/// <remarks>
/// <see cref="MayBeEmpty"/>: the setting must be given, to replace a value meant for one machine, but an
/// empty value is a choice (an empty <c>Registry:SeedFile</c> starts with an empty registry).
/// </remarks>
internal sealed record Requirement(IReadOnlyList<string> Keys, string Source, bool MayBeEmpty = false)
{
    public Requirement(string key, string source, bool mayBeEmpty = false)
        : this([key], source, mayBeEmpty)
    {
    }

    public bool IsMetBy(IReadOnlyDictionary<string, string> provided) =>
        Keys.Any(key => provided.TryGetValue(key, out var value) && (MayBeEmpty || !string.IsNullOrWhiteSpace(value)));

    public override string ToString() => $"{string.Join(" or ", Keys)} ({Source})";
}

/// <summary>
/// What a service needs to start on machines of its own, read from its code and configuration rather
/// than listed by hand where that is practical:
/// <list type="bullet">
/// <item>the keys its start-up validation requires: <c>[Required(ErrorMessage = "Section:Key …")]</c> and the
/// validators' « Section:Key is required » / « must be set » messages, in the options classes the service
/// registers (a message « … in http mode » counts when the service's delivery mode is http; « … when … »
/// never does);</item>
/// <item>every value of its appsettings.json that names this machine (127.0.0.1, localhost), a path into
/// the repository (<c>../</c>) or the local data folder (<c>.data</c>): right for deploy/run.sh, wrong
/// on any other machine;</item>
/// <item>a few keys the code cannot require because they have a default that is wrong once the service
/// leaves one machine, each with its reason below.</item>
/// </list>
/// </summary>
internal static partial class RequiredSettings
{
    private const string ServiceDefaults = "services/TicketHub.ServiceDefaults";
    private const string ConnectorsShared = "services/Connectors/TicketHub.Connectors.Shared";

    /// <summary>
    /// <paramref name="service"/>'s requirements; <paramref name="provided"/> (what the artefact gives it)
    /// only decides which delivery-mode conditions apply.
    /// </summary>
    public static IReadOnlyList<Requirement> For(Deployable service, IReadOnlyDictionary<string, string> provided)
    {
        var code = string.Join('\n', SourceFiles(service.Project).Select(Repository.Read));
        var requirements = new List<Requirement>();

        // What the composition root registers, and so validates at start.
        if (code.Contains("AddTicketHubDatabase", StringComparison.Ordinal) || code.Contains("AddToolConnector(", StringComparison.Ordinal))
        {
            requirements.AddRange(FromValidation($"{ServiceDefaults}/Data/DatabaseOptions.cs", section: null, provided));
            // Sqlite is the default: a file on one machine, which replicas cannot share.
            requirements.Add(new Requirement("Database:Provider", "default Sqlite is one machine's file"));
        }

        if (code.Contains("AddTicketHubBus(", StringComparison.Ordinal) || code.Contains("AddToolConnector(", StringComparison.Ordinal))
        {
            requirements.AddRange(FromValidation($"{ServiceDefaults}/Messaging/RabbitMqOptions.cs", section: null, provided));
            // Default "/": each service's broker user has permissions on the hub's vhost only (deploy/rabbitmq-users.sh).
            requirements.Add(new Requirement("RabbitMq:VirtualHost", "the broker users' permissions are on the hub's vhost"));
        }

        if (code.Contains("AddHubAuthentication(", StringComparison.Ordinal))
        {
            // InternalTokens.LoadPublicKey: « Identity:Token:PublicKey (PEM) or Identity:Token:PublicKeyFile must be set ».
            requirements.Add(new Requirement(["Identity:Token:PublicKey", "Identity:Token:PublicKeyFile"], "InternalTokens.LoadPublicKey"));
        }

        if (code.Contains("AddGatewayIdentity(", StringComparison.Ordinal))
        {
            // InternalTokenIssuer.Check, at the gateway's start: the private key that signs the internal token.
            requirements.Add(new Requirement(["Identity:Token:SigningKey", "Identity:Token:SigningKeyFile"], "InternalTokenIssuer.Check"));
            // Default: the user's own folder, different in each replica: a session cookie made by one would not open on the other.
            requirements.Add(new Requirement("Identity:DataProtectionKeysFolder", "gateways behind one address share the cookie keys"));
        }

        if (code.Contains("AddAttachmentDocuments", StringComparison.Ordinal))
        {
            requirements.AddRange(FromValidation($"{ConnectorsShared}/Attachments/IntakeOptions.cs", section: null, provided));
        }

        if (ToolConnectorCall().Match(code) is { Success: true } tool)
        {
            requirements.AddRange(FromValidation($"{ConnectorsShared}/Tool/ToolOptions.cs", ToolSection(tool.Groups["tool"].Value), provided));
        }

        foreach (var file in SourceFiles(service.Project))
        {
            requirements.AddRange(FromValidation(file, section: null, provided));
        }

        requirements.AddRange(FromAppSettings(service));
        // A key both required by the code and replaced from appsettings.json keeps the stricter rule (not empty).
        return requirements.OrderBy(requirement => requirement.MayBeEmpty).DistinctBy(requirement => string.Join('|', requirement.Keys).ToUpperInvariant()).ToList();
    }

    /// <summary>The service's own C# files (not its build output).</summary>
    public static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Repository.PathOf(project), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>The keys <paramref name="file"/>'s validation names as required ({section} replaced by <paramref name="section"/>).</summary>
    public static IEnumerable<Requirement> FromValidation(string file, string? section, IReadOnlyDictionary<string, string> provided)
    {
        var text = Repository.Read(file);
        foreach (Match match in RequiredMessage().Matches(text))
        {
            var condition = match.Groups["condition"].Value;
            if (condition.TrimStart().StartsWith("when", StringComparison.Ordinal))
            {
                continue;
            }

            var keys = match.Groups["keys"].Value.Split(" and ").Select(key => key.Replace("{section}", section ?? "{section}", StringComparison.Ordinal)).ToList();
            if (ModeCondition().Match(condition) is { Success: true } mode)
            {
                // « Pass:Http:ApiToken is required in http mode »: only when Pass:Delivery says http.
                var deliveryKey = keys[0][..keys[0].IndexOf(':', StringComparison.Ordinal)] + ":Delivery";
                if (!string.Equals(provided.GetValueOrDefault(deliveryKey), mode.Groups["mode"].Value, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
            }

            foreach (var key in keys)
            {
                yield return new Requirement(key, $"{Path.GetFileName(file)}: « {match.Value.Trim('"', '$')} »");
            }
        }

        foreach (Match match in RequiredAttribute().Matches(text))
        {
            yield return new Requirement(match.Groups["key"].Value, $"{Path.GetFileName(file)}: [Required]");
        }
    }

    /// <summary>The keys of the service's appsettings.json whose value only makes sense on the machine of deploy/run.sh.</summary>
    public static IEnumerable<Requirement> FromAppSettings(Deployable service)
    {
        using var json = JsonDocument.Parse(Repository.Read($"{service.Project}/appsettings.json"));
        foreach (var (key, value) in Flatten(json.RootElement, prefix: null))
        {
            if (value.Contains("127.0.0.1", StringComparison.Ordinal) || value.Contains("localhost", StringComparison.OrdinalIgnoreCase)
                || value.StartsWith("../", StringComparison.Ordinal) || value.Contains("Data Source=.data", StringComparison.Ordinal))
            {
                yield return new Requirement(key, $"appsettings.json's '{value}' is for one machine", mayBeEmpty: true);
            }
        }
    }

    private static IEnumerable<(string Key, string Value)> Flatten(JsonElement element, string? prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var leaf in Flatten(property.Value, prefix is null ? property.Name : $"{prefix}:{property.Name}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var leaf in Flatten(item, $"{prefix}:{index++}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValueKind.String:
                yield return (prefix!, element.GetString()!);
                break;
            default:
                yield return (prefix!, element.GetRawText());
                break;
        }
    }

    /// <summary>The configuration section of a <c>ToolDescriptor</c> property (<c>Pass</c> → "Pass").</summary>
    private static string ToolSection(string property)
    {
        var descriptor = Repository.Read($"{ConnectorsShared}/Tool/ToolDescriptor.cs");
        var match = Regex.Match(descriptor, $@"ToolDescriptor {Regex.Escape(property)} {{ get; }} = new\([^,]+, ""(?<section>\w+)""");
        Assert.That(match.Success, $"ToolDescriptor.{property} and its section were not found in ToolDescriptor.cs");
        return match.Groups["section"].Value;
    }

    // « Glpi:AppToken is required… », « {section}:Email:Host and {section}:Email:Port are required in email mode »,
    // « Services:Intake (intake's address…) must be set », « Routing:RuleSet est obligatoire / is required ».
    [GeneratedRegex("""
        "\$?(?<keys>(?:\{section\}|[A-Z][A-Za-z]*)(?::[A-Z][A-Za-z]*)+(?: and (?:\{section\}|[A-Z][A-Za-z]*)(?::[A-Z][A-Za-z]*)+)*)(?: \([^)"]*\))? (?:(?:est obligatoire / )?(?:is|are) required|must be set)(?<condition>[^"]*)"
        """)]
    private static partial Regex RequiredMessage();

    [GeneratedRegex("""\[Required\(ErrorMessage = "(?<key>[A-Z][A-Za-z]*(?::[A-Z][A-Za-z]*)+) """)]
    private static partial Regex RequiredAttribute();

    [GeneratedRegex(@"^\s*in (?<mode>\w+) mode")]
    private static partial Regex ModeCondition();

    [GeneratedRegex(@"AddToolConnector\(ToolDescriptor\.(?<tool>\w+)\)")]
    private static partial Regex ToolConnectorCall();
}

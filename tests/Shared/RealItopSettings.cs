using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketHub.Testing;

/// <summary>One collège's organization in the real iTop, and the Person its tickets are opened for.</summary>
internal sealed record RealItopOrg(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("org_id")] int OrgId,
    [property: JsonPropertyName("caller_id")] int CallerId);

/// <summary>
/// Where the real iTop 3.2 (ITIL modules) of the tests runs, and its fixtures. Read, in this order,
/// from the file <c>deploy/peers.sh</c> writes (<c>/opt/tickethub-peers/run/itop.json</c>, or the
/// file <c>TICKETHUB_ITOP_JSON</c> names), from the variables <c>TICKETHUB_ITOP_URL</c>,
/// <c>TICKETHUB_ITOP_USER</c> and <c>TICKETHUB_ITOP_PASSWORD</c> (each one overriding the file), or else the fixtures of the
/// iTop installed on these machines (127.0.0.1:8091). The tests never skip: the real iTop is
/// always started by <c>tests/run.sh</c>.
/// </summary>
internal sealed record RealItopSettings
{
    public const string DefaultFile = "/opt/tickethub-peers/run/itop.json";

    /// <summary>rest.php, without the <c>version</c> query (the connector adds it).</summary>
    [JsonPropertyName("rest")]
    public string RestUrl { get; init; } = "http://127.0.0.1:8091/webservices/rest.php";

    /// <summary>The application's base address, where the pages are.</summary>
    [JsonPropertyName("url")]
    public string Url { get; init; } = "http://127.0.0.1:8091/";

    /// <summary>The hub's REST account (Administrator + REST Services User).</summary>
    [JsonPropertyName("user")]
    public string User { get; init; } = "hub-rest";

    [JsonPropertyName("password")]
    public string Password { get; init; } = "Hub-Rest-2026!";

    /// <summary>A technician's account (Support Agent + REST Services User): the person who works the tickets.</summary>
    [JsonPropertyName("agent_user")]
    public string AgentUser { get; init; } = "hub-agent";

    [JsonPropertyName("agent_password")]
    public string AgentPassword { get; init; } = "Hub-Agent-2026!";

    [JsonPropertyName("orgs")]
    public IReadOnlyList<RealItopOrg> Orgs { get; init; } =
    [
        new("0931234X", 2, 4),
        new("0931235A", 3, 5),
        new("0931236B", 4, 6),
    ];

    /// <summary>The support team ("Support Hub N1") and its agent (a Person).</summary>
    [JsonPropertyName("team_id")]
    public int TeamId { get; init; } = 2;

    [JsonPropertyName("agent_id")]
    public int AgentId { get; init; } = 3;

    private static readonly Lazy<RealItopSettings> Loaded = new(Load);

    public static RealItopSettings Current => Loaded.Value;

    private static RealItopSettings Load()
    {
        var file = Environment.GetEnvironmentVariable("TICKETHUB_ITOP_JSON") is { Length: > 0 } named ? named : DefaultFile;
        var settings = File.Exists(file)
            ? JsonSerializer.Deserialize<RealItopSettings>(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} is empty.")
            : new RealItopSettings();
        if (Environment.GetEnvironmentVariable("TICKETHUB_ITOP_URL") is { Length: > 0 } url)
        {
            // rest.php itself, or the application's address, under which rest.php is.
            settings = url.Contains("rest.php", StringComparison.Ordinal)
                ? settings with { RestUrl = url }
                : settings with { Url = url, RestUrl = $"{url.TrimEnd('/')}/webservices/rest.php" };
        }

        if (Environment.GetEnvironmentVariable("TICKETHUB_ITOP_USER") is { Length: > 0 } user)
        {
            settings = settings with { User = user };
        }

        if (Environment.GetEnvironmentVariable("TICKETHUB_ITOP_PASSWORD") is { Length: > 0 } password)
        {
            settings = settings with { Password = password };
        }

        // The connector adds "?version=…" itself: an address given with it is taken without it.
        var query = settings.RestUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? settings : settings with { RestUrl = settings.RestUrl[..query] };
    }
}

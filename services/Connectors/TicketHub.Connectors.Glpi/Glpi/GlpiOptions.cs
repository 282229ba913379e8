using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// Bound from the <c>Glpi</c> section. The two tokens are secrets: they come from the environment
/// (<c>Glpi__AppToken</c>, <c>Glpi__UserToken</c>), never from a committed file, and are never logged.
/// </summary>
internal sealed class GlpiOptions
{
    public const string SectionName = "Glpi";

    /// <summary>Address of GLPI's REST API, e.g. <c>https://glpi.example/apirest.php</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Base of the pages people open, e.g. <c>https://glpi.example</c>; null gives no link.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>App-Token of the API client declared in GLPI (Setup > General > API).</summary>
    public string AppToken { get; set; } = "";

    /// <summary>The API account's remote access key ("user_token").</summary>
    public string UserToken { get; set; } = "";

    /// <summary>Longest wait for one HTTP attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time zone GLPI writes its dates in (its server's configuration, not UTC).</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>
    /// Whether to use tickets' <c>externalid</c>: <c>Detect</c> (default) asks GLPI once, GLPI 11 has
    /// it and GLPI 10 has not; <c>Ignore</c> keeps the reference in the title and description only.
    /// </summary>
    public GlpiExternalIdMode ExternalId { get; set; } = GlpiExternalIdMode.Detect;

    public GlpiMappingOptions Mapping { get; set; } = new();

    /// <summary>
    /// GLPI status (1 new, 2 assigned, 3 planned, 4 pending, 5 solved, 6 closed) → hub status
    /// (<see cref="HubStatuses"/>). The defaults below apply to any key the configuration leaves out.
    /// </summary>
    public Dictionary<string, string> StatusMapping { get; set; } = new(StringComparer.Ordinal)
    {
        ["1"] = HubStatuses.Forwarded,
        ["2"] = HubStatuses.InProgress,
        ["3"] = HubStatuses.InProgress,
        ["4"] = HubStatuses.Waiting,
        ["5"] = HubStatuses.Resolved,
        ["6"] = HubStatuses.Closed,
    };

    public GlpiSyncOptions Sync { get; set; } = new();

    public Uri ApiUri => new(BaseUrl.TrimEnd('/') + "/");

    /// <summary>The page a technician or a collège opens to see ticket <paramref name="id"/>.</summary>
    public string? TicketLink(int id) =>
        string.IsNullOrWhiteSpace(PublicUrl) ? null : $"{PublicUrl.TrimEnd('/')}/front/ticket.form.php?id={id}";

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The hub status of GLPI status <paramref name="glpiStatus"/>, or null when it is not mapped.</summary>
    public string? HubStatusOf(int glpiStatus) =>
        StatusMapping.TryGetValue(glpiStatus.ToString(CultureInfo.InvariantCulture), out var status) ? status : null;
}

/// <summary>How hub values become GLPI ids; bound from <c>Glpi:Mapping</c>.</summary>
internal sealed class GlpiMappingOptions
{
    /// <summary>Entity of a collège missing from <see cref="Entities"/> (0 is GLPI's root entity).</summary>
    public int DefaultEntityId { get; set; }

    /// <summary>Collège UAI → GLPI entity id, e.g. <c>"0931234X": 12</c>.</summary>
    public Dictionary<string, int> Entities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Hub category code → GLPI ITIL category id; an unmapped category is left empty.</summary>
    public Dictionary<string, int> Categories { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How the connector follows GLPI's changes; bound from <c>Glpi:Sync</c>.</summary>
internal sealed class GlpiSyncOptions
{
    /// <summary>Off only for tests that drive the sync by hand.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two searches for changed tickets (target: a change reaches the hub within 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rows per search page (GLPI's <c>range</c>).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How far back, by GLPI's clock, each search reads again: GLPI stamps date_mod with the time
    /// its request started, so a long request (a mass action) can write a date_mod older than
    /// changes already read. Rows read again cost nothing more than their place in the search page.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts while GLPI keeps failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Fails the start with a message naming each missing or wrong key.</summary>
internal sealed class GlpiOptionsValidator : IValidateOptions<GlpiOptions>
{
    public ValidateOptionsResult Validate(string? name, GlpiOptions options)
    {
        var failures = new List<string>();
        if (!IsHttpUrl(options.BaseUrl))
        {
            failures.Add("Glpi:BaseUrl is required and must be an absolute http(s) URL (e.g. 'https://glpi.example/apirest.php').");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicUrl) && !IsHttpUrl(options.PublicUrl))
        {
            failures.Add("Glpi:PublicUrl must be an absolute http(s) URL (e.g. 'https://glpi.example').");
        }

        if (string.IsNullOrWhiteSpace(options.AppToken))
        {
            failures.Add("Glpi:AppToken is required: set the environment variable Glpi__AppToken.");
        }

        if (string.IsNullOrWhiteSpace(options.UserToken))
        {
            failures.Add("Glpi:UserToken is required: set the environment variable Glpi__UserToken.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Glpi:Timeout must be between 00:00:01 and 00:05:00.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"Glpi:TimeZone '{options.TimeZone}' is not a known time zone (e.g. 'Europe/Paris').");
        }

        if (options.Mapping.DefaultEntityId < 0)
        {
            failures.Add("Glpi:Mapping:DefaultEntityId must be a GLPI entity id (0 or more).");
        }

        ValidateStatusMapping(options.StatusMapping, failures);

        if (options.Sync.Interval < TimeSpan.FromSeconds(1) || options.Sync.Interval > TimeSpan.FromMinutes(10))
        {
            failures.Add("Glpi:Sync:Interval must be between 00:00:01 and 00:10:00.");
        }

        if (options.Sync.PageSize is < 1 or > 1000)
        {
            failures.Add("Glpi:Sync:PageSize must be between 1 and 1000.");
        }

        if (options.Sync.Overlap < TimeSpan.FromSeconds(1) || options.Sync.Overlap > TimeSpan.FromHours(1))
        {
            failures.Add("Glpi:Sync:Overlap must be between 00:00:01 and 01:00:00.");
        }

        if (options.Sync.MaxBackoff < options.Sync.Interval)
        {
            failures.Add("Glpi:Sync:MaxBackoff must not be shorter than Glpi:Sync:Interval.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every GLPI status 1..6 maps to one of the statuses intake knows, and nothing else is mapped.</summary>
    private static void ValidateStatusMapping(Dictionary<string, string> mapping, List<string> failures)
    {
        foreach (var (key, value) in mapping)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 1 or > 6)
            {
                failures.Add($"Glpi:StatusMapping:{key} is not a GLPI status (1 new, 2 assigned, 3 planned, 4 pending, 5 solved, 6 closed).");
            }
            else if (!HubStatuses.External.Contains(value))
            {
                failures.Add($"Glpi:StatusMapping:{key} is '{value}', not a hub status ({string.Join(", ", HubStatuses.External.Order(StringComparer.Ordinal))}).");
            }
        }

        for (var status = 1; status <= 6; status++)
        {
            if (!mapping.ContainsKey(status.ToString(CultureInfo.InvariantCulture)))
            {
                failures.Add($"Glpi:StatusMapping:{status} is missing: every GLPI status needs a hub status.");
            }
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

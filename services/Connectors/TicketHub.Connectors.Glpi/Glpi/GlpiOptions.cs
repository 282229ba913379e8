using Microsoft.Extensions.Options;

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

    public GlpiMappingOptions Mapping { get; set; } = new();

    public Uri ApiUri => new(BaseUrl.TrimEnd('/') + "/");

    /// <summary>The page a technician or a collège opens to see ticket <paramref name="id"/>.</summary>
    public string? TicketLink(int id) =>
        string.IsNullOrWhiteSpace(PublicUrl) ? null : $"{PublicUrl.TrimEnd('/')}/front/ticket.form.php?id={id}";

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

using System.Globalization;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// Bound from the <c>Itop</c> section. The REST account's login and password are secrets: they come
/// from the environment (<c>Itop__AuthUser</c>, <c>Itop__AuthPassword</c>), never from a committed
/// file, and are never logged.
/// </summary>
internal sealed class ItopOptions
{
    public const string SectionName = "Itop";

    /// <summary>iTop's REST endpoint, e.g. <c>https://itop.example/webservices/rest.php</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>REST API version sent with every call; the connector reads the 1.1+ answer shape (objects carry their key).</summary>
    public string Version { get; set; } = "1.3";

    /// <summary>Login of the REST account; it needs iTop's "REST Services User" profile.</summary>
    public string AuthUser { get; set; } = "";

    public string AuthPassword { get; set; } = "";

    /// <summary>Base of the pages people open, e.g. <c>https://itop.example</c>; null gives no link.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Longest wait for one HTTP attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time zone iTop writes and compares its dates in (its configuration's <c>timezone</c>), not UTC.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    public ItopMappingOptions Mapping { get; set; } = new();

    /// <summary>
    /// iTop status → hub status, for both classes: Incident's lifecycle (new, escalated_tto, assigned,
    /// escalated_ttr, pending, resolved, closed) is UserRequest's without its approval states
    /// (waiting_for_approval, approved, rejected). Bound from configuration (appsettings.json holds
    /// the ITIL defaults); a status missing here is logged and not published.
    /// </summary>
    public Dictionary<string, string> StatusMapping { get; set; } = new(StringComparer.Ordinal);

    public ItopSyncOptions Sync { get; set; } = new();

    public Uri ApiUri => new(BaseUrl);

    /// <summary>
    /// Which classes tickets go to: <c>auto</c> (the default) asks iTop whether it has the class
    /// Incident; <c>itil</c> (incidents in Incident, requests in UserRequest as service_request);
    /// <c>simple</c> (the "simple ticket" install: everything in UserRequest, request_type incident
    /// or service_request). See ADR 14.
    /// </summary>
    public string TicketClasses { get; set; } = ItopTicketClasses.Auto;

    /// <summary>The page a technician opens to see ticket <paramref name="id"/> of class <paramref name="className"/>.</summary>
    public string? TicketLink(string className, int id) =>
        string.IsNullOrWhiteSpace(PublicUrl)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{PublicUrl.TrimEnd('/')}/pages/UI.php?operation=details&class={Uri.EscapeDataString(className)}&id={id}");

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>How hub values become iTop ids; bound from <c>Itop:Mapping</c>.</summary>
internal sealed class ItopMappingOptions
{
    /// <summary>Organization of a collège missing from <see cref="Orgs"/>.</summary>
    public int DefaultOrgId { get; set; }

    /// <summary>Collège UAI → iTop Organization id, e.g. <c>"0931234X": 12</c>.</summary>
    public Dictionary<string, int> Orgs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The Person the hub's requests are opened for (caller_id); the real requester is written in
    /// the description. iTop restricts a caller to the request's organization: where that bites,
    /// <see cref="Callers"/> gives a Person per collège.
    /// </summary>
    public int CallerId { get; set; }

    /// <summary>Collège UAI → Person id, overriding <see cref="CallerId"/>.</summary>
    public Dictionary<string, int> Callers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Hub category code → iTop Service id (service_id); an unmapped category is left empty.</summary>
    public Dictionary<string, int> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Hub category code → iTop ServiceSubcategory id (servicesubcategory_id), within the mapped
    /// service, for incidents and requests alike unless <see cref="IncidentSubcategories"/> or
    /// <see cref="RequestSubcategories"/> say otherwise.
    /// </summary>
    public Dictionary<string, int> ServiceSubcategories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Hub category code → the subcategory of its incidents. iTop offers an Incident only the
    /// subcategories whose request type is <c>incident</c>, and a UserRequest only those of its own
    /// request type (<c>service_request</c> with the ITIL modules); its REST API does not check it,
    /// but a technician editing the ticket would find the field invalid.
    /// </summary>
    public Dictionary<string, int> IncidentSubcategories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Hub category code → the subcategory of its requests (<see cref="IncidentSubcategories"/>).</summary>
    public Dictionary<string, int> RequestSubcategories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The subcategory of a hub ticket of <paramref name="category"/> and type <paramref name="hubType"/> (incident or request), or null.</summary>
    public int? SubcategoryOf(string category, string hubType) =>
        (hubType == "request" ? RequestSubcategories : IncidentSubcategories).TryGetValue(category, out var specific) ? specific
        : ServiceSubcategories.TryGetValue(category, out var any) ? any
        : null;
}

/// <summary>The status and reply polling; bound from <c>Itop:Sync</c>.</summary>
internal sealed class ItopSyncOptions
{
    /// <summary>Pause between two polls of iTop.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most ticket ids named in one OQL query (<c>id IN (…)</c>).</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>Fails the start with a message naming each missing or wrong key.</summary>
internal sealed class ItopOptionsValidator : IValidateOptions<ItopOptions>
{
    public ValidateOptionsResult Validate(string? name, ItopOptions options)
    {
        var failures = new List<string>();
        if (!IsHttpUrl(options.BaseUrl))
        {
            failures.Add("Itop:BaseUrl is required and must be an absolute http(s) URL (e.g. 'https://itop.example/webservices/rest.php').");
        }

        if (!System.Version.TryParse(options.Version, out var version) || version < new Version(1, 1))
        {
            failures.Add("Itop:Version must be a REST API version of 1.1 or later (e.g. '1.3').");
        }

        if (string.IsNullOrWhiteSpace(options.AuthUser))
        {
            failures.Add("Itop:AuthUser is required: set the environment variable Itop__AuthUser.");
        }

        if (string.IsNullOrWhiteSpace(options.AuthPassword))
        {
            failures.Add("Itop:AuthPassword is required: set the environment variable Itop__AuthPassword.");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicUrl) && !IsHttpUrl(options.PublicUrl))
        {
            failures.Add("Itop:PublicUrl must be an absolute http(s) URL (e.g. 'https://itop.example').");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Itop:Timeout must be between 00:00:01 and 00:05:00.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"Itop:TimeZone '{options.TimeZone}' is not a known time zone (e.g. 'Europe/Paris').");
        }

        if (!ItopTicketClasses.Modes.Contains(options.TicketClasses))
        {
            failures.Add($"Itop:TicketClasses is '{options.TicketClasses}'; it must be auto (ask iTop), itil (Incident and UserRequest) or simple (UserRequest only).");
        }

        if (options.Mapping.DefaultOrgId <= 0)
        {
            failures.Add("Itop:Mapping:DefaultOrgId is required: the id of the iTop Organization of collèges missing from Itop:Mapping:Orgs.");
        }

        if (options.Mapping.CallerId <= 0)
        {
            failures.Add("Itop:Mapping:CallerId is required: the id of the iTop Person the hub's requests are opened for.");
        }

        foreach (var (key, id) in options.Mapping.Orgs.Concat(options.Mapping.Callers).Concat(options.Mapping.Services).Concat(options.Mapping.ServiceSubcategories)
            .Concat(options.Mapping.IncidentSubcategories).Concat(options.Mapping.RequestSubcategories))
        {
            if (id <= 0)
            {
                failures.Add($"Itop:Mapping: '{key}' must map to an iTop id (1 or more), not {id}.");
            }
        }

        if (options.StatusMapping.Count == 0)
        {
            failures.Add("Itop:StatusMapping is empty: map each iTop status (new, assigned, pending, resolved, closed…) to a hub status.");
        }

        foreach (var (status, hubStatus) in options.StatusMapping)
        {
            if (!HubStatuses.External.Contains(hubStatus))
            {
                failures.Add($"Itop:StatusMapping:{status} is '{hubStatus}'; a hub status is one of {string.Join(", ", HubStatuses.External.Order(StringComparer.Ordinal))}.");
            }
        }

        if (options.Sync.Interval < TimeSpan.FromMilliseconds(100) || options.Sync.Interval > TimeSpan.FromHours(1))
        {
            failures.Add("Itop:Sync:Interval must be between 00:00:00.1 and 01:00:00.");
        }

        if (options.Sync.BatchSize is < 1 or > 2000)
        {
            failures.Add("Itop:Sync:BatchSize must be between 1 and 2000 ticket ids per query.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

using Microsoft.Extensions.Options;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Mail;

namespace TicketHub.Connectors.Shared.Tool;

/// <summary>
/// Bound from the tool's section (<c>Pass</c> or <c>Omere</c>). Secrets (<c>Http:ApiToken</c>,
/// <c>Email:Password</c>) come from the environment (<c>Pass__Http__ApiToken</c>…), never from a
/// committed file, and are never logged.
/// </summary>
internal sealed class ToolOptions
{
    /// <summary>One of <see cref="DeliveryModes"/>.</summary>
    public string Delivery { get; set; } = "";

    public ToolHttpOptions Http { get; set; } = new();

    public ToolEmailOptions Email { get; set; } = new();

    /// <summary>
    /// The tool's status → hub status (<see cref="HubStatuses"/>), for the http mode's sync. The
    /// defaults are the statuses of the hub's contract; the configuration may add or replace keys.
    /// </summary>
    public Dictionary<string, string> StatusMapping { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["new"] = HubStatuses.Forwarded,
        ["assigned"] = HubStatuses.InProgress,
        ["pending"] = HubStatuses.Waiting,
        ["solved"] = HubStatuses.Resolved,
        ["closed"] = HubStatuses.Closed,
    };

    public ToolSyncOptions Sync { get; set; } = new();

    public bool IsHttp => string.Equals(Delivery, DeliveryModes.Http, StringComparison.OrdinalIgnoreCase);

    public bool IsEmail => string.Equals(Delivery, DeliveryModes.Email, StringComparison.OrdinalIgnoreCase);

    public bool IsManual => string.Equals(Delivery, DeliveryModes.Manual, StringComparison.OrdinalIgnoreCase);

    /// <summary>The hub status of the tool's <paramref name="status"/>, or null when it is not mapped.</summary>
    public string? HubStatusOf(string status) => StatusMapping.GetValueOrDefault(status);
}

/// <summary>The tool's implementation of the hub's contract (<c>docs/api/outil-externe.openapi.yaml</c>).</summary>
internal sealed class ToolHttpOptions
{
    /// <summary>Base of the contract's paths, e.g. <c>https://pass.example/api</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Bearer token the tool's owner gave the hub.</summary>
    public string ApiToken { get; set; } = "";

    /// <summary>Longest wait for one HTTP attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public Uri ApiUri => new(BaseUrl.TrimEnd('/') + "/");
}

/// <summary>The tool's intake mailbox and the SMTP server that reaches it.</summary>
internal sealed class ToolEmailOptions : SmtpSettings
{
    /// <summary>Sender address, e.g. <c>tickethub@departement.example</c>.</summary>
    public string From { get; set; } = "";

    /// <summary>The tool's intake mailbox.</summary>
    public string To { get; set; } = "";

    /// <summary>Domain part of the stable Message-Ids (one per ticket and per comment).</summary>
    public string MessageIdDomain { get; set; } = "tickethub.invalid";
}

/// <summary>How the http mode follows the tool's changes.</summary>
internal sealed class ToolSyncOptions
{
    /// <summary>Off only for tests that drive the sync by hand.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two reads of the changed tickets (target: a change reaches the hub within 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    public int PageSize { get; set; } = 100;

    /// <summary>How far back each read starts again, against a tool that stamps changes late.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts while the tool keeps failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Fails the start with a message naming each missing or wrong key.</summary>
internal sealed class ToolOptionsValidator(ToolDescriptor tool) : IValidateOptions<ToolOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolOptions options)
    {
        var section = tool.SectionName;
        var failures = new List<string>();
        if (!options.IsHttp && !options.IsEmail && !options.IsManual)
        {
            failures.Add($"{section}:Delivery is required: '{DeliveryModes.Http}', '{DeliveryModes.Email}' or '{DeliveryModes.Manual}'.");
        }

        if (options.IsHttp)
        {
            if (!Uri.TryCreate(options.Http.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{section}:Http:BaseUrl is required in http mode and must be an absolute http(s) URL.");
            }

            if (string.IsNullOrWhiteSpace(options.Http.ApiToken))
            {
                failures.Add($"{section}:Http:ApiToken is required in http mode (environment: {section}__Http__ApiToken).");
            }

            if (options.Http.Timeout <= TimeSpan.Zero)
            {
                failures.Add($"{section}:Http:Timeout must be positive.");
            }

            if (options.Sync.Interval <= TimeSpan.Zero || options.Sync.PageSize is < 1 or > 500 || options.Sync.Overlap < TimeSpan.Zero)
            {
                failures.Add($"{section}:Sync needs a positive Interval, a PageSize from 1 to 500 and a non-negative Overlap.");
            }
        }

        if (options.IsEmail)
        {
            if (string.IsNullOrWhiteSpace(options.Email.Host) || options.Email.Port is < 1 or > 65535)
            {
                failures.Add($"{section}:Email:Host and {section}:Email:Port are required in email mode.");
            }

            if (!MimeKit.MailboxAddress.TryParse(options.Email.From, out _) || !MimeKit.MailboxAddress.TryParse(options.Email.To, out _))
            {
                failures.Add($"{section}:Email:From and {section}:Email:To must be e-mail addresses in email mode.");
            }

            // The Message-Id is the ticket's external id in the hub (100 characters at most).
            if (!System.Text.RegularExpressions.Regex.IsMatch(options.Email.MessageIdDomain, "^[A-Za-z0-9]([A-Za-z0-9.-]{0,58}[A-Za-z0-9])?$"))
            {
                failures.Add($"{section}:Email:MessageIdDomain must be a domain name of at most 60 characters.");
            }
        }

        foreach (var (external, hub) in options.StatusMapping)
        {
            if (!HubStatuses.External.Contains(hub))
            {
                failures.Add($"{section}:StatusMapping:{external} = '{hub}' is not a hub status ({string.Join(", ", HubStatuses.External)}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

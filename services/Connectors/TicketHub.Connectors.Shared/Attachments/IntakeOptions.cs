using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Shared.Attachments;

/// <summary>
/// Where the connector reads the files of a ticket: intake's API, through the gateway. Bound from the
/// <c>Intake</c> section; only the connectors that send files (GLPI, iTop) read it. The API key is a
/// secret: it comes from the environment (<c>Intake__ApiKey</c>), never from a committed file, and is
/// never logged.
/// </summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>The gateway's address, e.g. <c>https://tickethub.example</c>; the API's paths (<c>api/v1/…</c>) are added to it.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>An API key of role <c>infogerant</c>, sent as <c>X-Api-Key</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Longest wait for one attempt to download a file (up to 10 MB through the gateway).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");
}

/// <summary>Fails the start with a message naming each missing or wrong key.</summary>
internal sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Intake:BaseUrl is required and must be an absolute http(s) URL: the gateway's address, where the connector reads the tickets' attachments (e.g. 'https://tickethub.example').");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Intake:ApiKey is required: set the environment variable Intake__ApiKey (an API key of role infogerant).");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Intake:Timeout must be between 00:00:01 and 00:10:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// Which iTop classes the hub's tickets go to (ADR 14). An iTop with the ITIL modules has a class
/// Incident and accepts only <c>service_request</c> in UserRequest's <c>request_type</c>; a "simple
/// ticket" install has no Incident and takes both types in UserRequest. <c>Itop:TicketClasses</c>
/// says which, or <c>auto</c> asks iTop the first time a ticket needs it (not at start: an iTop
/// down at start would otherwise stop the connector), and keeps the answer until the next start.
/// </summary>
/// <remarks>A singleton: the answer is kept; the (transient) iTop client is taken only for the question.</remarks>
internal sealed partial class ItopTicketClasses(IServiceProvider services, IOptions<ItopOptions> options, ILogger<ItopTicketClasses> logger) : IDisposable
{
    public const string Auto = "auto";
    public const string Itil = "itil";
    public const string Simple = "simple";

    public static readonly IReadOnlySet<string> Modes = new HashSet<string>(StringComparer.Ordinal) { Auto, Itil, Simple };

    private readonly SemaphoreSlim _probing = new(1, 1);
    private bool? _hasIncident;

    /// <summary>Whether incidents go to the class Incident (ITIL) rather than to UserRequest.</summary>
    public async Task<bool> HasIncidentClassAsync(CancellationToken cancellationToken)
    {
        switch (options.Value.TicketClasses)
        {
            case Itil:
                return true;
            case Simple:
                return false;
        }

        if (_hasIncident is { } known)
        {
            return known;
        }

        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_hasIncident is null)
            {
                // Throws when iTop does not answer: the ticket is retried, and iTop asked again.
                var hasIncident = await services.GetRequiredService<ItopClient>().HasClassAsync(ItopClasses.Incident, cancellationToken);
                LogDetected(hasIncident ? "ITIL (incidents in Incident, requests in UserRequest)" : "simple tickets (everything in UserRequest)");
                _hasIncident = hasIncident;
            }

            return _hasIncident.Value;
        }
        finally
        {
            _probing.Release();
        }
    }

    /// <summary>The class and request type of a hub ticket of type <paramref name="hubType"/> (<c>incident</c> or <c>request</c>).</summary>
    public async Task<(string Class, string? RequestType)> ForAsync(string hubType, CancellationToken cancellationToken)
    {
        var isRequest = hubType == "request";
        return await HasIncidentClassAsync(cancellationToken)
            ? isRequest ? (ItopClasses.UserRequest, "service_request") : (ItopClasses.Incident, null)
            : (ItopClasses.UserRequest, isRequest ? "service_request" : "incident");
    }

    public void Dispose() => _probing.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "iTop install detected (Itop:TicketClasses auto): {Install}")]
    private partial void LogDetected(string install);
}

using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>Whether the connector uses GLPI's <c>externalid</c>; bound from <c>Glpi:ExternalId</c>.</summary>
internal enum GlpiExternalIdMode
{
    /// <summary>Asks GLPI (its Ticket search options) once per process: GLPI 11 has it, GLPI 10 has not.</summary>
    Detect,

    /// <summary>Never: the reference lives in the title and the description only, as for GLPI 10.</summary>
    Ignore,
}

/// <summary>
/// What this GLPI supports, asked once per process and logged (ADR 13): whether tickets have
/// <c>externalid</c> (GLPI 11) and its search option. Not asked at start: GLPI may be down then, and
/// the answer is needed only by the first creation or poll. A failed question is asked again next time.
/// </summary>
internal sealed partial class GlpiCapabilities(IGlpiApi glpi, IOptions<GlpiOptions> options, ILogger<GlpiCapabilities> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (bool Known, int? Option) _externalId;

    /// <summary>The search option of Ticket's <c>externalid</c>, or null when the reference is not kept there.</summary>
    public async Task<int?> ExternalIdOptionAsync(CancellationToken cancellationToken)
    {
        if (_externalId.Known)
        {
            return _externalId.Option;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_externalId.Known)
            {
                if (options.Value.ExternalId == GlpiExternalIdMode.Ignore)
                {
                    LogIgnored();
                    _externalId = (true, null);
                }
                else
                {
                    var option = await glpi.FindExternalIdOptionAsync(cancellationToken);
                    LogDetected(option is not null, option);
                    _externalId = (true, option);
                }
            }

            return _externalId.Option;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "GLPI tickets have externalid: {HasExternalId} (search option {Option}); the hub reference is kept in the title and the description, and in externalid when it exists")]
    private partial void LogDetected(bool hasExternalId, int? option);

    [LoggerMessage(Level = LogLevel.Information, Message = "Glpi:ExternalId is Ignore: the hub reference is kept in the title and the description only")]
    private partial void LogIgnored();
}

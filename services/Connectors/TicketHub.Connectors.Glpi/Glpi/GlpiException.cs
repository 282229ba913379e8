namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>GLPI failed in a way worth trying again later (server error, session refused...).</summary>
internal sealed class GlpiException(string message, GlpiError error, Exception? innerException = null)
    : Exception(message, innerException)
{
    public GlpiError Error { get; } = error;
}

using System.Data.Common;
using System.Globalization;
using TicketHub.Connectors.Shared.Forwarding;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// iTop's keys as the connectors' common ledger keeps them: <c>external_id</c> holds the key as text
/// (as <c>TicketForwarded</c> carries it); iTop's calls want the number.
/// </summary>
internal static class ItopKeys
{
    public static string Format(int key) => key.ToString(CultureInfo.InvariantCulture);

    public static int Parse(string externalId) => int.Parse(externalId, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The key of the iTop request of <paramref name="ticketId"/>, if the hub created it and did not send the ticket elsewhere since.</summary>
    public static async Task<int?> HeldRequestAsync(this DeliveryLedger ledger, DbTransaction transaction, Guid ticketId, CancellationToken cancellationToken) =>
        (await ledger.FindAsync(transaction, ticketId, cancellationToken))?.HeldId is { } externalId ? Parse(externalId) : null;
}

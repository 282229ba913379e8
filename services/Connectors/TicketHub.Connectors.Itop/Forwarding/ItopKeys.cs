using System.Globalization;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>
/// iTop's keys as the connectors' common ledger keeps them: <c>external_id</c> holds the key as text
/// (as <c>TicketForwarded</c> carries it); iTop's calls want the number.
/// </summary>
internal static class ItopKeys
{
    public static string Format(int key) => key.ToString(CultureInfo.InvariantCulture);

    public static int Parse(string externalId) => int.Parse(externalId, NumberStyles.None, CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>The connector's settings for the real iTop 3.2 that deploy/peers.sh runs (<see cref="PeerTools.Itop"/>).</summary>
internal static class RealItopSettings
{
    /// <summary>
    /// <c>Itop:…</c> for <paramref name="itop"/>: its address, the hub's REST account (or, <paramref name="asSupportAgent"/>,
    /// the least privileged support agent's), the classes asked of iTop, and the first collège's organization and caller.
    /// </summary>
    public static Dictionary<string, string?> ConnectorSettings(this RealItop itop, bool asSupportAgent = false)
    {
        var college = itop.Orgs[0];
        return new()
        {
            ["Itop:BaseUrl"] = itop.Rest,
            ["Itop:PublicUrl"] = itop.Url,
            ["Itop:AuthUser"] = asSupportAgent ? itop.AgentUser : itop.User,
            ["Itop:AuthPassword"] = asSupportAgent ? itop.AgentPassword : itop.Password,
            ["Itop:Timeout"] = "00:00:15",
            ["Itop:TicketClasses"] = "auto",
            ["Itop:Mapping:DefaultOrgId"] = college.OrgId.ToString(CultureInfo.InvariantCulture),
            ["Itop:Mapping:CallerId"] = college.CallerId.ToString(CultureInfo.InvariantCulture),
            [$"Itop:Mapping:Orgs:{college.Code}"] = college.OrgId.ToString(CultureInfo.InvariantCulture),
            [$"Itop:Mapping:Callers:{college.Code}"] = college.CallerId.ToString(CultureInfo.InvariantCulture),
        };
    }
}

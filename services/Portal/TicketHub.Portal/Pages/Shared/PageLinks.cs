namespace TicketHub.Portal.Pages.Shared;

/// <summary>Builds a page's own address with other filters, for links such as « Page suivante ».</summary>
public static class PageLinks
{
    public static string Of(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToList();
        return given.Count == 0 ? path : path + "?" + string.Join("&", given.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
    }
}

using TicketHub.Connectors.Shared.Text;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// What a technician wrote in GLPI's rich-text editor, as plain text for the collège. GLPI 10 returns
/// its rich text HTML-encoded once more (<c>&amp;#60;p&amp;#62;…</c>, an apostrophe as <c>&amp;#38;#39;</c>):
/// decoded once, it is the HTML GLPI shows, which <see cref="ToolHtml"/> turns into text.
/// </summary>
internal static class GlpiText
{
    public static string ToPlainText(string? html) => ToolHtml.ToPlainText(ToolHtml.DecodeEncodedHtml(html));
}

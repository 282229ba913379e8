using TicketHub.Connectors.Glpi.Sync;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>Technicians write rich text in GLPI; the collège reads plain text.</summary>
public sealed class GlpiTextTests
{
    [TestCase("<p>Toner remplacé.</p>", "Toner remplacé.")]
    [TestCase("<p>Bonjour,</p><p>Je passe <strong>jeudi</strong>.</p>", "Bonjour,\n\nJe passe jeudi.")]
    [TestCase("Ligne 1<br>Ligne 2<br />Ligne 3", "Ligne 1\nLigne 2\nLigne 3")]
    [TestCase("<p>À faire :</p><ul><li>câble HDMI</li><li>télécommande</li></ul>", "À faire :\n\n- câble HDMI\n- télécommande")]
    [TestCase("&lt;p&gt;L&amp;#39;écran &amp;amp; le PC&lt;/p&gt;", "L'écran & le PC")]
    [TestCase("<p>5 &lt; 6 &amp;&nbsp;ok</p>", "5 < 6 & ok")]
    [TestCase("<style>p { color: red }</style><p>Texte</p><script>alert(1)</script><!-- note -->", "Texte")]
    [TestCase("   <p>  trop   d'espaces  </p>\n\n\n\n<p>fin</p>  ", "trop d'espaces\n\nfin")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Turns_GLPI_rich_text_into_plain_text(string? html, string expected) =>
        Assert.That(GlpiText.ToPlainText(html), Is.EqualTo(expected));
}

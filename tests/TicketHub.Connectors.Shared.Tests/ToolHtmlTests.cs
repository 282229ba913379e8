using TicketHub.Connectors.Shared.Text;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>The tools write rich text; the collège reads plain text; the collège's text reaches the tools as written.</summary>
public sealed class ToolHtmlTests
{
    [TestCase("<p>Toner remplacé.</p>", "Toner remplacé.")]
    [TestCase("<p>Bonjour,</p><p>Je passe <strong>jeudi</strong> à 9 h.</p>", "Bonjour,\n\nJe passe jeudi à 9 h.")]
    [TestCase("Ligne 1<br>Ligne 2<br />Ligne 3", "Ligne 1\nLigne 2\nLigne 3")]
    [TestCase("<p>Ligne 1<br><br>Ligne 3</p>", "Ligne 1\n\nLigne 3")]
    [TestCase("<p>À faire :</p><ul><li>câble HDMI</li><li>télécommande</li></ul><p>Merci</p>", "À faire :\n\n- câble HDMI\n- télécommande\n\nMerci")]
    [TestCase("<ol><li>Éteindre</li><li>Rallumer</li></ol>", "1. Éteindre\n2. Rallumer")]
    [TestCase("<p>5 &lt; 6 &amp;&nbsp;ok</p>", "5 < 6 & ok")]
    [TestCase("<style>p { color: red }</style><p>Texte</p><script>alert(1)</script><!-- note -->", "Texte")]
    [TestCase("   <p>  trop   d'espaces  </p>\n\n\n\n<p>fin</p>  ", "trop d'espaces\n\nfin")]
    [TestCase("<div>Salle <em>B12</em></div><div>PC 4</div>", "Salle B12\n\nPC 4")]
    [TestCase("<table><tr><th>Poste</th><th>État</th></tr><tr><td>PC 4</td><td>HS</td></tr></table>", "Poste | État\nPC 4 | HS")]
    [TestCase("<p>Voir <a href=\"https://exemple.fr\">la notice</a>.</p>", "Voir la notice.")]
    [TestCase("Texte simple sans balise", "Texte simple sans balise")]
    [TestCase("<p>Non fermé", "Non fermé")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Turns_a_tools_rich_text_into_plain_text(string? html, string expected) =>
        Assert.That(ToolHtml.ToPlainText(html), Is.EqualTo(expected));

    [TestCase("&#60;p&#62;L&#38;#39;écran &#38;amp; le PC&#60;/p&#62;", "<p>L&#39;écran &amp; le PC</p>")]
    [TestCase("&lt;p&gt;Bonjour&lt;/p&gt;", "<p>Bonjour</p>")]
    [TestCase("<p>Déjà du HTML &amp; rien à décoder</p>", "<p>Déjà du HTML &amp; rien à décoder</p>")]
    [TestCase("Texte simple", "Texte simple")]
    public void Decodes_once_the_HTML_GLPI_encodes_before_sending_it(string stored, string expected) =>
        Assert.That(ToolHtml.DecodeEncodedHtml(stored), Is.EqualTo(expected));

    [Test]
    public void Reads_GLPI_10s_encoded_rich_text_as_the_collège_wrote_it()
    {
        // As GLPI 10.0.11 returns a follow-up typed "L'écran & le clavier" over two paragraphs and a list.
        const string fromGlpi = "&#60;p&#62;L&#38;#39;écran &#38;amp; le clavier&#60;/p&#62;&#60;p&#62;À vérifier :&#60;/p&#62;&#60;ul&#62;&#60;li&#62;câble&#60;/li&#62;&#60;/ul&#62;";

        Assert.That(ToolHtml.ToPlainText(ToolHtml.DecodeEncodedHtml(fromGlpi)), Is.EqualTo("L'écran & le clavier\n\nÀ vérifier :\n\n- câble"));
    }

    [TestCase("Bonjour", "<p>Bonjour</p>")]
    [TestCase("L'écran <b>ne</b> s'allume pas & clignote", "<p>L&#39;écran &lt;b&gt;ne&lt;/b&gt; s&#39;allume pas &amp; clignote</p>")]
    [TestCase("Ligne 1\nLigne 2\n\nParagraphe 2", "<p>Ligne 1<br>Ligne 2</p><p>Paragraphe 2</p>")]
    [TestCase("Windows\r\nfin", "<p>Windows<br>fin</p>")]
    [TestCase("  ", "")]
    public void Writes_the_collèges_text_as_HTML_the_tools_show_as_written(string text, string expected) =>
        Assert.That(ToolHtml.FromPlainText(text), Is.EqualTo(expected));

    [TestCase("Bonjour,\n\nLe vidéoprojecteur de la salle B12 < 2 ans & « ne s'allume plus ».\n- câble\n- télécommande")]
    [TestCase("Une ligne")]
    public void Keeps_the_text_through_a_round_trip(string text) =>
        Assert.That(ToolHtml.ToPlainText(ToolHtml.FromPlainText(text)), Is.EqualTo(text));
}

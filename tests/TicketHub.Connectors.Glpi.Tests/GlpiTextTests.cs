using System.Text.Json;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
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

    [Test]
    public void Reads_what_the_real_GLPI_10_returns_as_the_text_the_technician_wrote()
    {
        var followup = JsonSerializer.Deserialize(FakeGlpi.RealAnswer("followups.json"), GlpiJsonContext.Default.ListGlpiFollowup)!.Single();
        var solution = JsonSerializer.Deserialize(FakeGlpi.RealAnswer("solutions.json"), GlpiJsonContext.Default.ListGlpiSolution)!.Single();
        var ticket = JsonSerializer.Deserialize(FakeGlpi.RealAnswer("ticket.json"), GlpiJsonContext.Default.GlpiTicket)!;

        Assert.That(followup.Content, Does.StartWith("&#60;p&#62;"), "GLPI 10 encodes its HTML once more");
        Assert.That(GlpiText.ToPlainText(followup.Content), Is.EqualTo("L'écran & clavier"));
        Assert.That(GlpiText.ToPlainText(solution.Content), Is.EqualTo("Remplacé <câble>"));
        Assert.That(GlpiText.ToPlainText(ticket.Content), Is.EqualTo("Réf TH-2026-990001 & l'imprimante"));
    }

    [Test]
    public void Recognises_the_reference_in_a_title_GLPI_returned_encoded_and_nowhere_else()
    {
        Assert.That(GlpiReference.Names("TH-2026-990003", "[TH-2026-990003] Écran &#38; clavier d'accueil &#60;b&#62;", null, null), Is.True);
        Assert.That(GlpiReference.Names("TH-2026-99000", "[TH-2026-990003] Écran", null, null), Is.False, "a prefix of another reference");
        Assert.That(GlpiReference.Names("TH-2026-990001", "Ticket renommé", "&#60;p&#62;Demande transmise par TicketHub, référence &#60;strong&#62;TH-2026-990001&#60;/strong&#62;.&#60;/p&#62;", null), Is.True);
        Assert.That(GlpiReference.Names("TH-2026-99000", "Ticket renommé", "&#60;p&#62;Demande transmise par TicketHub, référence &#60;strong&#62;TH-2026-990001&#60;/strong&#62;.&#60;/p&#62;", null), Is.False);
        Assert.That(GlpiReference.Names("TH-2026-990001", "Voir [TH-2026-990001]", "&#60;p&#62;Suite du ticket TH-2026-990001&#60;/p&#62;", null), Is.False,
            "a collège quoting another reference in its text does not make the ticket that one");
    }
}

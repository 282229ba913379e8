using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// What the collège reads when GLPI or iTop refused one of its files: the usual causes in plain
/// French, whatever language the tool answered in; anything else with a short quote.
/// </summary>
public sealed class DocumentRefusalTests
{
    private static readonly AttachmentRef Photo = new(Guid.NewGuid(), "photo.jpg", "image/jpeg", 3_350_528, new string('a', 64));

    [TestCase("ERROR_GLPI_ADD File too large to be added.")]
    [TestCase("ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE The file seems too big")]
    [TestCase("Error: contents: the file is larger than the 2097152 bytes allowed")]
    [TestCase("Le fichier est trop gros")]
    public void Says_the_file_is_too_large_and_how_large_it_is(string toolWords) =>
        Assert.That(DocumentRefusal.From("GLPI", Photo, toolWords), Is.EqualTo("fichier trop volumineux pour GLPI (3,2 Mo)"));

    [TestCase("ERROR_GLPI_ADD Fichier photo.jpg : type de fichier non autorisé.")]
    [TestCase("Error: contents: unsupported mimetype")]
    [TestCase("The extension jpg is not allowed")]
    public void Says_the_tool_does_not_accept_the_type(string toolWords) =>
        Assert.That(DocumentRefusal.From("iTop", Photo, toolWords), Is.EqualTo("iTop n'accepte pas ce type de fichier"));

    [Test]
    public void Says_the_hub_may_not_add_files_when_its_rights_are_missing()
    {
        Assert.That(DocumentRefusal.From("GLPI", Photo, "ERROR_GLPI_ADD You don't have permission to perform this action."),
            Is.EqualTo("le compte de TicketHub dans GLPI n'a pas le droit d'y ajouter des fichiers"));
        Assert.That(DocumentRefusal.From("GLPI", Photo, "ERROR_RIGHT_MISSING", rightsMissing: true),
            Is.EqualTo("le compte de TicketHub dans GLPI n'a pas le droit d'y ajouter des fichiers"));
    }

    [Test]
    public void Does_not_take_a_word_inside_another_for_a_cause() =>
        Assert.That(DocumentRefusal.From("GLPI", Photo, "ERROR_GLPI_ADD Bad itemtype"), Is.EqualTo("GLPI l'a refusée (« ERROR_GLPI_ADD Bad itemtype »)"));

    [Test]
    public void Quotes_an_unusual_answer_on_one_line_shortened_without_iTops_prefix()
    {
        var reason = DocumentRefusal.From("iTop", Photo, "Error: item_id: the object\nwas deleted " + new string('x', 300));

        Assert.That(reason, Does.StartWith("iTop l'a refusée (« item_id: the object was deleted xxx"));
        Assert.That(reason, Does.EndWith("… »)"));
        Assert.That(reason.Length, Is.LessThan(200));
    }

    [Test]
    public void Never_quotes_markup() =>
        Assert.That(DocumentRefusal.From("GLPI", Photo, "HTTP_409 <html><body>Conflict</body></html>"), Is.EqualTo("GLPI l'a refusée"));
}

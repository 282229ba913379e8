namespace TicketHub.Intake.Http;

/// <summary>
/// The explicit bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): they make a title or a comment read in another order than it is stored
/// (« Trojan Source »), in the portal, in GLPI, in an e-mail. Arabic or Hebrew text needs none of
/// them; the marks U+200E and U+200F stay allowed.
/// </summary>
public static class BidiControls
{
    public const string Message = "Ce champ contient des caractères qui inversent le sens d'affichage du texte (U+202A à U+202E, U+2066 à U+2069) : retirez-les.";

    public static bool Contains(string value) => value.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
}

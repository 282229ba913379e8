using TicketHub.Contracts;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>The one definition of the UAI, e-mail and telephone formats that intake, the portal, the registry and the gateway share.</summary>
public class FieldFormatsTests
{
    [TestCase("0931234X")]
    [TestCase("0000000A")]
    public void A_UAI_is_seven_ASCII_digits_and_an_upper_case_letter(string uai) =>
        Assert.That(FieldFormats.IsUai(uai), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0931234x")]
    [TestCase("093123X")]
    [TestCase("09312345X")]
    [TestCase("0931234X\n")]
    [TestCase(" 0931234X")]
    [TestCase("\u0660\u0669\u0663\u0661\u0662\u0663\u0664X")]
    [TestCase("\uFF10\uFF19\uFF13\uFF11\uFF12\uFF13\uFF14X")]
    public void Anything_else_is_not_a_UAI_not_even_other_scripts_digits_or_a_final_line_feed(string? value) =>
        Assert.That(FieldFormats.IsUai(value), Is.False);

    [TestCase("claire.martin@ac-creteil.fr", true)]
    [TestCase("claire.martin@ac-creteil", false)]
    [TestCase("claire martin@ac-creteil.fr", false)]
    [TestCase("claire.martin@ac-creteil.fr\n", false)]
    public void An_email_address_needs_a_domain_with_a_dot_and_no_spaces(string value, bool valid) =>
        Assert.That(FieldFormats.IsEmail(value), Is.EqualTo(valid));

    [TestCase("01 23 45 67 89", true)]
    [TestCase("+33 (0)1.23.45.67.89", true)]
    [TestCase("123", false)]
    [TestCase("01 23 45 67 89\n", false)]
    [TestCase("appelez-moi", false)]
    public void A_telephone_number_is_digits_and_separators(string value, bool valid) =>
        Assert.That(FieldFormats.IsPhone(value), Is.EqualTo(valid));
}

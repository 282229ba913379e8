using TicketHub.Classifier.Registry;

namespace TicketHub.Classifier.Tests.Registry;

public sealed class CollegeCsvTests
{
    private const int CurrentYear = 2026;
    private const string Header = "uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear";

    [Test]
    public void Reads_every_field_of_a_valid_row()
    {
        var result = Parse(Header, "0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,2024-01-08,1972");

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Colleges, Is.EqualTo(new[]
        {
            new College("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972),
        }));
    }

    [Test]
    public void Reads_empty_reprise_date_and_built_year_as_unknown()
    {
        var result = Parse(Header, "0931235A,Collège Lucie Aubrac,Saint-Denis,UT2,true,,");

        Assert.That(result.Colleges.Single(), Is.EqualTo(new College("0931235A", "Collège Lucie Aubrac", "Saint-Denis", "UT2", true, null, null)));
    }

    [Test]
    public void Reads_quoted_field_with_commas()
    {
        var result = Parse(Header, "0932102D,\"Collège Louise Michel, site des Tilleuls\",Bobigny,UT2,false,,1988");

        Assert.That(result.Colleges.Single().Name, Is.EqualTo("Collège Louise Michel, site des Tilleuls"));
    }

    [Test]
    public void Reads_doubled_quotes_and_line_breaks_inside_quotes_and_counts_lines_from_the_file()
    {
        var result = Parse(Header,
            "0931234X,\"Collège \"\"Les Tilleuls\"\"\nbâtiment B\",Aubervilliers,UT1,false,,1972",
            "0931235A,Collège Lucie Aubrac,Saint-Denis,UT7,false,,2004");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors.Select(e => e.Line), Is.EqualTo(new[] { 4 }), "the second record starts on line 4");
            Assert.That(result.Errors.Single().Message, Does.StartWith("ut : "));
        }

        var good = Parse(Header, "0931234X,\"Collège \"\"Les Tilleuls\"\"\nbâtiment B\",Aubervilliers,UT1,false,,1972");
        Assert.That(good.Colleges.Single().Name, Is.EqualTo("Collège \"Les Tilleuls\"\nbâtiment B"));
    }

    [Test]
    public void Accepts_byte_order_mark_CRLF_blank_lines_and_surrounding_spaces()
    {
        var text = "\uFEFF" + Header + "\r\n\r\n 0931234X , Collège Jean Moulin ,Aubervilliers, UT1 ,TRUE,2024-01-08, 1972 \r\n\r\n";

        var result = CollegeCsv.Parse(text, CurrentYear);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Colleges.Single(), Is.EqualTo(new College("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", true, new DateOnly(2024, 1, 8), 1972)));
    }

    [Test]
    public void Accepts_columns_in_any_order_and_any_case()
    {
        var result = Parse("NAME,uai,builtyear,ut,commune,zarepriseDate,citeMixte", "Collège Jean Moulin,0931234X,1972,UT1,Aubervilliers,2024-01-08,false");

        Assert.That(result.Colleges.Single(), Is.EqualTo(new College("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972)));
    }

    [TestCase("931234X", "uai", TestName = "Reports_UAI_with_too_few_digits")]
    [TestCase("0931234x", "uai", TestName = "Reports_UAI_with_lower_case_letter")]
    [TestCase("09312345", "uai", TestName = "Reports_UAI_without_letter")]
    public void Reports_invalid_UAI(string uai, string field) =>
        AssertSingleError($"{uai},Collège Jean Moulin,Aubervilliers,UT1,false,,1972", field);

    [Test]
    public void Reports_missing_name() => AssertSingleError("0931234X,,Aubervilliers,UT1,false,,1972", "name");

    [Test]
    public void Reports_blank_commune() => AssertSingleError("0931234X,Collège Jean Moulin,   ,UT1,false,,1972", "commune");

    [TestCase("UT5")]
    [TestCase("ut1")]
    [TestCase("")]
    public void Reports_unknown_UT(string ut) => AssertSingleError($"0931234X,Collège Jean Moulin,Aubervilliers,{ut},false,,1972", "ut");

    [TestCase("oui")]
    [TestCase("1")]
    [TestCase("")]
    public void Reports_cite_mixte_that_is_not_true_or_false(string value) =>
        AssertSingleError($"0931234X,Collège Jean Moulin,Aubervilliers,UT1,{value},,1972", "citeMixte");

    [TestCase("08/01/2024")]
    [TestCase("2024-02-30")]
    [TestCase("2024-1-8")]
    [TestCase("demain")]
    public void Reports_reprise_date_not_in_yyyy_MM_dd(string date) =>
        AssertSingleError($"0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,{date},1972", "zaRepriseDate");

    [TestCase("1799")]
    [TestCase("2027")]
    [TestCase("vers 1970")]
    [TestCase("-1970")]
    public void Reports_built_year_outside_1800_to_current_year(string year) =>
        AssertSingleError($"0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,,{year}", "builtYear");

    [TestCase("1800")]
    [TestCase("2026")]
    public void Accepts_built_year_at_the_bounds(string year)
    {
        var result = Parse(Header, $"0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,,{year}");

        Assert.That(result.Colleges.Single().BuiltYear, Is.EqualTo(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Reports_every_bad_field_of_a_row()
    {
        var result = Parse(Header, "93,,,UT9,peut-être,2024-13-01,1700");

        Assert.That(result.Errors.Select(e => e.Message.Split(" : ")[0]),
            Is.EquivalentTo(new[] { "uai", "name", "commune", "ut", "citeMixte", "zaRepriseDate", "builtYear" }));
        Assert.That(result.Errors.Select(e => e.Line).Distinct(), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void Reports_duplicate_UAI_with_the_line_of_the_first()
    {
        var result = Parse(Header,
            "0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,,1972",
            "0931235A,Collège Lucie Aubrac,Saint-Denis,UT1,false,,2004",
            "0931234X,Collège Jean Moulin bis,Aubervilliers,UT1,false,,1972");

        Assert.That(result.Errors, Is.EqualTo(new[] { new CsvLineError(4, "uai : le collège 0931234X figure déjà ligne 2.") }));
    }

    [TestCase("0931234X,Collège Jean Moulin, annexe,Aubervilliers,UT1,false,,1972", TestName = "Reports_unquoted_comma_as_a_wrong_column_count")]
    [TestCase("0931234X,Collège Jean Moulin,Aubervilliers,UT1,false", TestName = "Reports_missing_columns")]
    public void Reports_wrong_column_count(string row)
    {
        var result = Parse(Header, row);

        Assert.That(result.Errors.Single().Line, Is.EqualTo(2));
        Assert.That(result.Errors.Single().Message, Does.Contain("colonne(s) au lieu de 7"));
    }

    [TestCase("0931234X,\"Collège Jean Moulin,Aubervilliers,UT1,false,,1972", "Guillemet ouvert jamais refermé", TestName = "Reports_unterminated_quote")]
    [TestCase("0931234X,\"Collège\" Jean Moulin,Aubervilliers,UT1,false,,1972", "Texte après un guillemet fermant", TestName = "Reports_text_after_closing_quote")]
    [TestCase("0931234X,Collège \"Jean Moulin\",Aubervilliers,UT1,false,,1972", "Guillemet mal placé", TestName = "Reports_quote_inside_unquoted_field")]
    public void Reports_malformed_quoting(string row, string message)
    {
        var result = Parse(Header, row);

        Assert.That(result.Errors.Single(), Has.Property("Line").EqualTo(2).And.Property("Message").StartsWith(message));
    }

    [Test]
    public void Reports_missing_and_unknown_header_columns_on_line_1()
    {
        var result = Parse("uai,nom,commune,ut,citeMixte,zaRepriseDate", "0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,");

        Assert.That(result.Errors.Single().Line, Is.EqualTo(1));
        Assert.That(result.Errors.Single().Message, Does.Contain("manquante(s) : name, builtYear").And.Contain("inconnue(s) ou en double : nom"));
    }

    [Test]
    public void Reports_an_empty_file()
    {
        var result = CollegeCsv.Parse("", CurrentYear);

        Assert.That(result.Errors.Single(), Has.Property("Line").EqualTo(1).And.Property("Message").StartsWith("Le fichier est vide"));
    }

    [Test]
    public void Reports_a_file_with_only_the_header()
    {
        var result = Parse(Header);

        Assert.That(result.Errors.Single().Message, Does.Contain("aucun collège"));
    }

    [Test]
    public void Imports_nothing_when_any_row_is_bad_and_reports_each_bad_line()
    {
        var result = Parse(Header,
            "0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,2024-01-08,1972",
            "0931235A,Collège Lucie Aubrac,Saint-Denis,UT9,false,,2004",
            "0932101C,Collège Pablo Neruda,Stains,UT2,false,2023-09-18,1998",
            "0932102D,,Bobigny,UT2,false,2027-01-11,1988");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Colleges, Is.Empty);
            Assert.That(result.ErrorsByLine().Keys, Is.EqualTo(new[] { "ligne 3", "ligne 5" }));
        }
    }

    [Test]
    public void Sample_registry_is_valid_and_covers_every_routing_case()
    {
        var result = CollegeCsv.Parse(File.ReadAllText(RepoFiles.SeedCsv), CurrentYear);
        var colleges = result.Colleges;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(colleges.Select(c => c.Ut).Distinct(), Is.EquivalentTo(new[] { "UT1", "UT2", "UT3", "UT4" }));
            Assert.That(colleges.Where(c => c.ZaRepriseDate < new DateOnly(2026, 1, 1)), Is.Not.Empty, "ZA taken over");
            Assert.That(colleges.Where(c => c.ZaRepriseDate is null), Is.Not.Empty, "ZA not taken over");
            Assert.That(colleges.Where(c => c.ZaRepriseDate?.Year == 2027), Is.Not.Empty, "reprise planned in 2027");
            Assert.That(colleges.Where(c => c.CiteMixte), Is.Not.Empty, "cité mixte");
            Assert.That(colleges.Where(c => c.BuiltYear < 1997), Is.Not.Empty, "built before 1997");
            Assert.That(colleges.Where(c => c.BuiltYear >= 1997), Is.Not.Empty, "built in 1997 or later");
            Assert.That(colleges.Select(c => c.Uai), Has.All.StartsWith("093"), "Seine-Saint-Denis");
            Assert.That(colleges.SingleOrDefault(c => c.Uai == "0931234X"),
                Is.EqualTo(new College("0931234X", "Collège Jean Moulin", "Aubervilliers", "UT1", false, new DateOnly(2024, 1, 8), 1972)),
                "the end-to-end tests' collège");
        }
    }

    [TestCase("Collège\u0000Moulin")]
    [TestCase("\u001b[31mCollège")]
    [TestCase("Collège\u0085Moulin")]
    public void Reports_a_control_character_in_a_name_against_its_line(string name)
    {
        var result = Parse(Header, "0931235A,Collège Lucie Aubrac,Saint-Denis,UT1,true,,", $"0931234X,{name},Aubervilliers,UT1,false,,1972");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Colleges, Is.Empty);
            Assert.That(result.Errors.Select(e => e.Line), Is.EqualTo(new[] { 3 }));
            Assert.That(result.Errors.Single().Message, Does.StartWith("name : ").And.Contain("caractères de contrôle"));
        }
    }

    [Test]
    public void Keeps_tabs_right_to_left_text_and_formulas_in_names_as_written()
    {
        var result = Parse(Header, "0931234X,\"=HYPERLINK(\"\"x\"\")\t\u202Eb\u05E9\",Aubervilliers,UT1,false,,1972");

        Assert.That(result.Colleges.Single().Name, Is.EqualTo("=HYPERLINK(\"x\")\t\u202Eb\u05E9"));
    }

    private static CsvParseResult Parse(params string[] lines) => CollegeCsv.Parse(string.Join('\n', lines) + "\n", CurrentYear);

    private static void AssertSingleError(string row, string field)
    {
        var result = Parse(Header, row);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Colleges, Is.Empty);
            Assert.That(result.Errors, Has.Count.EqualTo(1));
            Assert.That(result.Errors[0].Line, Is.EqualTo(2));
            Assert.That(result.Errors[0].Message, Does.StartWith($"{field} : "));
        }
    }
}

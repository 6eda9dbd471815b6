using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Coordinator.Silo.Tests.Web;

/// <summary>
/// Debian's chromium, headless, driven through its chromium-driver (both installed by <c>.ci/install-tools</c>): the
/// browser a person would use, without a display. Waits poll the page's DOM with a deadline (the page changes on its own,
/// from the server's events, so there is no signal to await).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private HeadlessChromium(ChromeDriver driver) => Page = driver;

    public IWebDriver Page { get; }

    public static HeadlessChromium Open(Uri url)
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
            throw new InvalidOperationException(
                $"the browser tests need Debian's chromium and chromium-driver ({Browser}, {Driver}): run .ci/install-tools (apt-get install -y chromium chromium-driver)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        var browser = new HeadlessChromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
        browser.Page.Navigate().GoToUrl(url);
        return browser;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the page; the failure names what was awaited and shows the page's text.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, string what)
    {
        var wait = new WebDriverWait(Page, Patience) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            throw new TimeoutException($"the page did not show that {what} within {Patience.TotalSeconds} s; it shows:\n{Text("body")}");
        }
    }

    /// <summary>The visible text of the first element matching the CSS selector, or "" when there is none.</summary>
    public string Text(string css) => Page.FindElements(By.CssSelector(css)) is { Count: > 0 } found ? found[0].Text : "";

    public IReadOnlyList<IWebElement> All(string css) => Page.FindElements(By.CssSelector(css));

    public void Dispose()
    {
        Page.Quit();
        Page.Dispose();
    }
}

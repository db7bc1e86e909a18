package io.pgops.audit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.KafkaBatch;
import io.pgops.audit.Samples;
import io.pgops.events.EventEnvelope;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's headless {@code chromium} driven by its {@code
 * chromedriver} (never a downloaded browser). Fails — never skips — when they are not installed.
 */
@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class WebPageTest {
    static final Path CHROMIUM = Path.of(System.getProperty("pgops.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("pgops.chromedriver", "/usr/bin/chromedriver"));
    static final Duration PAGE_SHOWS_IT = Duration.ofSeconds(30);

    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @TestHTTPResource("/")
    URL page;

    @Test
    void thePageShowsAJustRecordedFailoverAsATimelineUnderItsClusterAndTheChainAsIntact() throws Exception {
        String cluster = "ui-" + System.nanoTime() % 1_000_000;
        List<EventEnvelope> story = Samples.failover(cluster, Instant.parse("2026-11-25T02:15:00Z"));
        KafkaBatch batch = KafkaBatch.of(story);
        connector.<Message<List<byte[]>>>source("audit-in").send(batch.message());
        batch.awaitAck();
        String flow = story.getFirst().correlationId();

        withBrowser(browser -> {
            browser.get(page + "#token=" + TestStack.get().tokens().forRole(Tokens.VIEWER));
            WebDriverWait wait = new WebDriverWait(browser, PAGE_SHOWS_IT);
            By incident = By.cssSelector("section[data-cluster='" + cluster + "'] [data-incident='" + flow + "']");
            WebElement shown = wait.until(ExpectedConditions.visibilityOfElementLocated(incident));
            List<WebElement> steps = shown.findElements(By.cssSelector("li.step"));
            assertEquals(5, steps.size(), shown.getText());
            assertTrue(steps.getFirst().getText().contains("health.primary-unreachable"), shown.getText());
            assertTrue(steps.getLast().getText().startsWith("+6.5 s replication.failover-completed"), shown.getText());
            wait.until(ExpectedConditions.attributeToBe(By.id("chain"), "data-intact", "true"));
            assertTrue(browser.findElement(By.id("chain-state")).getText().startsWith("Hash chain intact"));
        });
    }

    @Test
    void withoutATokenThePageAsksForOneRefusesAForgedOneAndForgetsItOnSigningOut() throws Exception {
        withBrowser(browser -> {
            browser.get(page.toString());
            WebDriverWait wait = new WebDriverWait(browser, PAGE_SHOWS_IT);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
            assertEquals(
                    "sign in to verify the hash chain",
                    browser.findElement(By.id("chain-state")).getText());
            assertEquals(List.of(), browser.findElements(By.cssSelector("section.cluster")));

            signIn(browser, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.forged");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-message"), "was refused"));
            assertTrue(browser.findElement(By.id("signin")).isDisplayed(), "the form stays for a refused token");

            signIn(browser, TestStack.get().tokens().forRole(Tokens.VIEWER));
            wait.until(ExpectedConditions.attributeToBe(By.id("chain"), "data-intact", "true"));
            assertTrue(browser.findElement(By.id("signout")).isDisplayed());
            assertTrue(!browser.findElement(By.id("signin")).isDisplayed(), "no form once signed in");

            browser.findElement(By.id("signout")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
            assertEquals(
                    "signed out", browser.findElement(By.id("signin-message")).getText());
            assertEquals(List.of(), browser.findElements(By.cssSelector("section.cluster")));
            browser.navigate().refresh(); // the token is gone from the tab, not only from the view
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
        });
    }

    private static void signIn(WebDriver browser, String token) {
        WebElement input = browser.findElement(By.id("token-input"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("signin-button")).click();
    }

    /** Headless Debian chromium through its chromedriver, with a profile of its own removed afterwards. */
    private static void withBrowser(java.util.function.Consumer<WebDriver> use) throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                CHROMIUM + " and " + CHROMEDRIVER + " are needed: apt-get install -y chromium chromium-driver");
        Path profile = Files.createTempDirectory("pgops-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox", // tests may run as root
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            use.accept(browser);
        } finally {
            browser.quit();
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }
}

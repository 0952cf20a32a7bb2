/**
 * Every need in a message: the main ask (a blocker before what it blocks; a request before a side
 * question) and the others, each with its own province; nothing "also" where there is one need.
 */
import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../src/understand/needs.js';
import { actionOf, understand } from '../../src/understand/understand.js';

const read = (text: string) => {
  const u = understand(text);
  return { intent: u.intent, province: u.province, also: u.also ?? [], options: u.options ?? [], action: actionOf(u) };
};

/** The main ask, and another need found beside it. */
function expectNeeds(text: string, main: string, other: string): void {
  const r = read(text);
  expect(r.intent).toBe(main);
  expect(r.also.map((n) => n.intent)).toContain(other);
}

describe('splitClauses: "and then" and "…之后" start another ask', () => {
  it.each([
    ['Need to find our record number, and then how do I show it in the footer properly?', 2],
    ['备案号忘了,查到之后网站底部怎么放?', 2],
    ['注销之后备案号还在吗', 1],
  ])('%s', (text, n) => {
    expect(splitClauses(text)).toHaveLength(n);
  });
});

describe('splitClauses', () => {
  it.each([
    ['How do I cancel our Beijing filing? Is there a fee?', ['How do I cancel our Beijing filing', 'Is there a fee']],
    ['注销北京的备案。另外要收费吗', ['注销北京的备案', '要收费吗']],
    ['注销备案 + 开发票', ['注销备案', '开发票']],
    ['Two things: 1) cancel the filing 2) the invoice', ['Two things:', 'cancel the filing', 'the invoice']],
    ['cancel ICP for Nanning; also how long does it take?', ['cancel ICP for Nanning', 'how long does it take']],
  ])('%s', (text, clauses) => {
    expect(splitClauses(text)).toEqual(clauses);
  });

  it.each([
    [
      'forgot the filing password, and the phone on file is the old one too',
      ['forgot the filing password', 'the phone on file is the old one too'],
    ],
    ['cancel our Hebei filing, and how long does it take?', ['cancel our Hebei filing', 'how long does it take']],
    ['备案号找不到了，也想问公安备案怎么办', ['备案号找不到了', '也想问公安备案怎么办']],
  ])('", and" before a new subject or question word starts another ask: %s', (text, clauses) => {
    expect(splitClauses(text)).toEqual(clauses);
  });

  it('keeps one question whole: commas and "and" do not split', () => {
    expect(splitClauses('注销北京的备案，要多久')).toHaveLength(1);
    expect(splitClauses("What's the difference between 注销主体 and 注销网站?")).toHaveLength(1);
  });
});

describe('two blockers in one sentence', () => {
  it.each([
    ['备案号和备案密码都找不到了，河北保定', 'lost_record_number', 'forgot_password'],
    ['我忘了备案号，也忘了备案密码', 'lost_record_number', 'forgot_password'],
    ['we lost both the filing password and the record number', 'forgot_password', 'lost_record_number'],
  ])('both lost: the one named first is the main ask: %s', (text, main, other) => {
    const r = read(text);
    expect(r.intent).toBe(main);
    expect(r.also.map((n) => n.intent)).toContain(other);
  });

  it.each(['备案号我有,是密码忘了,山西的', "The record number we have, it's the filing password we lost. Jilin."])(
    'one kept, one lost: the lost one, whatever comes first: %s',
    (text) => {
      expect(read(text).intent).toBe('forgot_password');
    },
  );
});

describe('a side question in a sentence of its own, in the words customers use', () => {
  it.each([
    ['我们要注销湖北的备案，还有，注销主体和注销网站哪个合适？', 'cancel_kinds'],
    ['注销河南的网站备案，需要带什么材料？要交钱吗？', 'fees'],
    ['We need to cancel our Sichuan filing before the audit. Can it be done today?', 'processing_time'],
  ])('%s', (text, side) => {
    const r = read(text);
    expect(r.intent).toBe('deregister');
    expect(r.also.map((n) => n.intent)).toEqual([side]);
  });
});

describe('two needs', () => {
  it.each([
    ['I need to cancel our filing in Hebei and we lost the record number too', 'lost_record_number', 'hebei'],
    ['要注销安徽的网站，但备案密码找不到了', 'forgot_password', 'anhui'],
    ['We want to deregister 皖ICP备17004321号 but forgot the filing password', 'forgot_password', 'anhui'],
  ])('a blocker is the main ask, the deregistration comes too, with its province: %s', (text, main, province) => {
    const r = read(text);
    expect(r.intent).toBe(main);
    expect(r.also).toEqual([{ intent: 'deregister', province }]);
  });

  it.each([
    ['How do I cancel our Beijing filing? Is there a fee?', 'beijing', 'fees'],
    ['cancel ICP for our Nanning company; also how long does it take?', 'guangxi', 'processing_time'],
    ['請問如何註銷網站備案？我們是廣東的公司。另外想問需要收費嗎？', 'guangdong', 'fees'],
    ['注销备案 + 开发票 皖ICP备17004321号', 'anhui', 'off_topic'],
  ])('a side question goes beside the request: %s', (text, province, side) => {
    const r = read(text);
    expect(r).toMatchObject({ intent: 'deregister', province });
    expect(r.also.map((n) => n.intent)).toEqual([side]);
  });

  it.each([
    ['我们要注销 晋ICP备17001111号，多久能完成？', 'deregister', 'processing_time'],
    ['how long does it take to deregister our Hunan filing?', 'deregister', 'processing_time'],
    ['we want to cancel the filing, is there a fee?', 'deregister', 'fees'],
    ['备案密码找回要多久', 'forgot_password', 'processing_time'],
  ])('a question about a procedure asked for, or about one filing, comes beside it: %s', (text, main, about) => {
    const r = read(text);
    expect(r.intent).toBe(main);
    expect(r.also.map((n) => n.intent)).toEqual([about]);
  });

  it.each([
    ['注销备案一般要多久', 'processing_time'],
    ['is there a fee to cancel beian?', 'fees'],
    ['注销备案的短信验证码一直收不到，12381那个', 'sms_code'],
  ])('a question about a cancellation nobody asked for is that question: %s', (text, about) => {
    const r = read(text);
    expect(r.intent).toBe(about);
    expect(r.also).toEqual([]);
  });

  it('a number written in the message is not lost', () => {
    const r = read('cx wants to *deregister* their ICP filing, record no `浙ICP备17032211号`. what is the process?');
    expect(r.intent).toBe('deregister');
    expect(r.also).toEqual([]);
  });
});

describe('one need', () => {
  it.each([
    ["What's the difference between 注销主体 and 注销网站?", 'cancel_kinds'],
    ['备案一般要多久', 'processing_time'],
    ['how long does an ICP filing take', 'processing_time'],
    ['is there a fee for an ICP filing', 'fees'],
    ['the 12381 SMS never arrived', 'sms_code'],
    ['备案核验短信收不到怎么办', 'sms_code'],
    ['can you resend the invoice for last month', 'off_topic'],
  ])('%s → %s, nothing else', (text, intent) => {
    const r = read(text);
    expect(r.intent).toBe(intent);
    expect(r.also).toEqual([]);
  });

  it('what the bot did not understand has no other needs', () => {
    expect(read('lunch? also the weather').also).toEqual([]);
  });
});

describe('moving to another provider is never a deregistration', () => {
  it.each([
    "We're moving our site from another cloud to you, do we have to cancel the filing first? We're in Shenzhen",
    '我们要从阿里云迁到你们这边，备案需要先注销吗？公司在深圳',
    'customer moving to us from Tencent, zhejiang filing, what do they do about the beian',
    '我們要換主機商，需要先註銷備案嗎？',
    'switching to Tencent Cloud, cancel beian first?',
    "we're switching hosting to Alibaba Cloud, should we deregister our Zhejiang filing first?",
    '我们换了阿里云，原来的备案要注销吗',
    // With a record number written, and the move said as 迁出 / 换服务器商 / 换provider.
    '你好，我们已从贵司迁出至腾讯云，请问原备案是否需要先注销？备案号粤ICP备15098765号。',
    '我们要换服务器商，粤ICP备14058823号 这个号还能继续用吗，要不要先注销',
    '我们换provider了，old one那边要不要先cancel备案？',
    // Switching said in English inside Chinese, and the old host's claim asked about.
    '我们 switch 到 Huawei Cloud, 旧的 备案 要不要 cancel?',
    'The old host says we must 取消接入 before the new one can 接入. Is that true?',
    'Customer is switching from us to another provider and asks whether they need to 取消接入 with us first',
  ])('%s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('switch_provider');
    expect(r.also.map((n) => n.intent)).not.toContain('deregister');
    expect(r.action).toBe('answer');
  });
});

describe('a question back instead of a guess', () => {
  it('"help with our beian" offers the three things the bot is for', () => {
    const r = read('Can you help with our beian?');
    expect(r.options).toEqual(['deregister', 'forgot_password', 'lost_record_number']);
    expect(r.action).toBe('clarify');
  });

  it('"cancel" alone offers a filing or something else', () => {
    const r = read('cancel');
    expect(r.options).toEqual(['deregister', 'off_topic']);
    expect(r.action).toBe('clarify');
  });

  it('a clear question is answered outright', () => {
    expect(read('How do I cancel our ICP filing in Zhejiang?')).toMatchObject({ options: [], action: 'answer' });
    expect(read('how do I cancel our ICP filing')).toMatchObject({ options: [], action: 'ask_province' });
  });
});

describe('an English negation before Chinese words', () => {
  it('"变更 not 注销" is a change, not a cancellation', () => {
    const r = read('cx in Wuhan wants to move filing from old company to new company name, 变更 not 注销');
    expect(r.intent).toBe('change_filing');
    expect(r.also.map((n) => n.intent)).not.toContain('deregister');
  });

  it('"not 找回密码, 是要注销" is the cancellation', () => {
    expect(read('not 找回密码, 是要注销 filing, Sichuan').intent).toBe('deregister');
  });
});

describe('a deregistration asked without the word', () => {
  it.each([
    ['服务器和域名都退了，剩下工信部那个登记怎么收尾？在四川绵阳', 'sichuan'],
    ['老板说把那个没人用的网站在工信部的记录处理掉，我们是天津的', 'tianjin'],
    ['Our Beijing entity no longer exists, but the MIIT record still lists us. How do we close that out?', 'beijing'],
  ])('%s', (text, province) => {
    expect(read(text)).toMatchObject({ intent: 'deregister', province });
  });

  it('"了解一下" (to understand) is not read by sound as 了结 (to close)', () => {
    expect(read('注销主体和注销网站有啥区别?先了解一下,暂时不办').intent).toBe('cancel_kinds');
  });
});

describe('two needs asked one after the other: the first asked is the main ask', () => {
  it.each([
    [
      "What's the record number of our shop? Also, we're moving to another cloud — do we cancel first?",
      'lost_record_number',
      'switch_provider',
    ],
    ['请注销我们在重庆的备案。然后换了新域名要重新备案吗？', 'deregister', 'new_filing'],
  ])('%s', expectNeeds);

  it('not a sentence that only tells what happened: "Our filing was cancelled by the 管局 … How do we file again?"', () => {
    expect(read('Our filing was cancelled by the 管局 because the site was empty. How do we file again?').intent).toBe(
      'new_filing',
    );
  });

  it('not where the message takes the first one back ("不不, I mean …")', () => {
    expect(
      read('cancel 备案? 不不, I mean only delete the domain, the filing stays — does that affect it?').intent,
    ).not.toBe('deregister');
  });

  it('a blocker still comes before the deregistration it blocks, whatever the order', () => {
    const r = read('请注销我们的湖南备案。备案密码也找不到了');
    expect(r.intent).toBe('forgot_password');
    expect(r.also).toContainEqual({ intent: 'deregister', province: 'hunan' });
  });
});

describe('a sentence that is a need on its own is not lost in a longer message', () => {
  it('"Can you cancel our Xinjiang beian? Also, will the domain still resolve?" answers the cancellation', () => {
    const r = read('Can you cancel our Xinjiang beian? Also, will our domain still resolve afterwards?');
    expect(r).toMatchObject({ intent: 'deregister', province: 'xinjiang' });
  });
});

describe('a cancellation that is not of the filing', () => {
  it.each([
    'how do we cancel our ICP licence (the 沪ICP证 one), not the filing?',
    '我们的增值电信经营许可证怎么注销？沪B2-20190001',
  ])('the licence: %s', (text) => {
    expect(read(text).intent).toBe('icp_licence');
  });

  it('"not the licence, the filing. Please cancel it" is the filing', () => {
    expect(
      read('Not the ICP licence (经营许可证), the plain filing. Please cancel it, it was filed in Tianjin.'),
    ).toMatchObject({
      intent: 'deregister',
      province: 'tianjin',
    });
  });
});

describe('a lost number that blocks nothing', () => {
  it.each([
    [
      'Please cancel the filing of our Tibet shop, and could you tell me the record number of our other site?',
      'xizang',
    ],
    ['请注销琼ICP备17001234号，另外帮忙查下我们另一个网站的备案号', 'hainan'],
  ])('another site, or a cancellation whose number is written: the first asked leads: %s', (text, province) => {
    const r = read(text);
    expect(r).toMatchObject({ intent: 'deregister', province });
    expect(r.also.map((n) => n.intent)).toContain('lost_record_number');
  });

  it('both lost in one sentence, without "both": the one named first leads', () => {
    const r = read('lost our ICP number and forgot the filing password as well, Hainan');
    expect(r.intent).toBe('lost_record_number');
    expect(r.also.map((n) => n.intent)).toContain('forgot_password');
  });
});

describe('a sentence that only tells the background is no need of its own', () => {
  it.each([
    'Please cancel the access for 陕ICP备2020011223号-1. We moved the site to AWS Tokyo.',
    '请帮我们取消接入，备案在江西。我们已经搬到别家云了',
  ])('%s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('deregister');
    expect(r.also).toEqual([]);
  });

  it('but a question about it is: "…We are moving to AWS — do we lose the record number?"', () => {
    const r = read(
      'Please cancel the access for 陕ICP备2020011223号-1. We are moving to AWS, do we keep the record number?',
    );
    expect(r.intent).toBe('deregister');
    expect(r.also.map((n) => n.intent)).toContain('switch_provider');
  });
});

describe('a second need joined by ", and"', () => {
  it.each([
    [
      "cancel the beian for our Xi'an site, and tell me whether I should delete the domain too",
      'deregister',
      'domain_vs_filing',
    ],
    ['請幫我們註銷豫ICP備17001122號-1；另外想問，註銷後網域名稱還能繼續用嗎？', 'deregister', 'domain_vs_filing'],
    ['forgot the filing password, and the phone on file is the old one too', 'forgot_password', 'change_filing'],
    [
      'Please cancel our Chongqing filing, and on the other site just update the responsible person',
      'deregister',
      'change_filing',
    ],
  ])('%s', expectNeeds);
});

describe('needs the asker keeps apart ("separately", "unrelated:")', () => {
  it('a password forgotten for another filing blocks no cancellation: the first asked leads', () => {
    const r = read(
      'I need to deregister our Jilin site, and separately I forgot the beian password for our Shanghai one.',
    );
    expect(r).toMatchObject({ intent: 'deregister', province: 'jilin' });
    expect(r.also.map((n) => n.intent)).toContain('forgot_password');
  });
});

describe('a status told as background is no need; a status asked is', () => {
  it('"We got our ICP approved last month. Where does the number go on the page?" asks one thing', () => {
    const r = read('We finally got our ICP filing approved last month. Where do we put the record number on the page?');
    expect(r.intent).toBe('display_number');
    expect(r.also).toEqual([]);
  });

  it('"帮我看看备案审核到哪了，还有我们之前那个备案号是多少" asks both', () => {
    const r = read('帮我看看备案审核到哪了，还有我们之前那个备案号是多少');
    expect([r.intent, ...r.also.map((n) => n.intent)].sort()).toEqual(['filing_status', 'lost_record_number']);
  });
});

describe('a sentence leans on the message for the number it is about', () => {
  it('"I can\'t find our record number, and how do we display it in the footer?" asks both', () => {
    const r = read("I can't find our record number, and how do we display it in the website footer?");
    expect(r.intent).toBe('lost_record_number');
    expect(r.also.map((n) => n.intent)).toContain('display_number');
  });

  it('but a bare follow-up about showing it does not ask for the number ("备案号放哪里？需要加链接吗")', () => {
    const r = read('备案号要放在网站底部哪里？需要加链接吗');
    expect(r.intent).toBe('display_number');
    expect(r.also).toEqual([]);
  });
});

describe('a side question asked first, then a need of another matter: the first asked leads', () => {
  it.each([
    ['公安备案怎么办？还有，我们的ICP备案号忘了', 'public_security_filing', 'lost_record_number'],
    [
      "How long does a new filing take? And btw what's our existing ICP number, lost it",
      'processing_time',
      'lost_record_number',
    ],
  ])('%s', expectNeeds);

  it.each([
    // The side question is about the need itself.
    ['注销备案要多久？我们要注销冀ICP备14003344号', 'deregister'],
    // A deregistration requested outranks a side question asked before it.
    ['How much does it cost to file a new website? We also need to deregister our old Hefei filing', 'deregister'],
  ])('but not %s', (text, main) => {
    expect(read(text).intent).toBe(main);
  });
});

describe('a need told as done is no need beside thanks', () => {
  it.each([
    'Great, the filing is cancelled now. Thanks a lot!',
    'Hello,\n\nJust following up on my earlier email — the deregistration shows as done on the MIIT site now. Thanks a lot for your help!\n\nBest,\nOlga',
  ])('%s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('thanks');
    expect(r.also).toEqual([]);
  });

  it('but a sentence that tells what was done and what is lost still asks', () => {
    const r = read(
      'Hi,\nOur filing was done by an agency in Shenzhen and we have no idea what the record number is. Can you look it up for us?\nThanks,\nMia',
    );
    expect(r.intent).toBe('lost_record_number');
  });

  it('"the colleague who handled the filing has left" tells nothing done', () => {
    const r = read(
      'Hi there,\n\nWe need our ICP filing number for the app store submission but the colleague who handled the filing has left. Could you tell us where to find it?\n\nThanks,\nJake',
    );
    expect(r.intent).toBe('lost_record_number');
  });
});

describe('only asking ahead is no deregistration ("只是想先了解一下", "just asking")', () => {
  it.each([
    ['注销主体会不会连带把所有网站都注销了？只是想先了解一下', 'cancel_kinds'],
    ['請問註銷備案需要費用嗎？只是先了解一下，目前沒有要註銷', 'fees'],
    ['咨询：注销备案和注销主体是同一个意思吗？暂时不办，只是问问', 'cancel_kinds'],
  ])('%s → %s', (text, intent) => {
    const r = read(text);
    expect(r.intent).toBe(intent);
    expect(r.also.map((n) => n.intent)).not.toContain('deregister');
  });

  it('a cancellation requested is still one', () => {
    expect(read('注销主体和注销网站有什么区别？我们要注销京ICP备18001234号').intent).toBe('deregister');
  });
});

describe('a question about the procedure in the same breath is answered beside it', () => {
  it.each([
    ["forgot 备案密码, and the 12381 SMS isn't coming either", 'forgot_password', 'sms_code'],
    ["Is deregistration free? We'd like to cancel our Hainan filing.", 'deregister', 'fees'],
    ['想註銷粵ICP備的網站，大概要幾多日？', 'deregister', 'processing_time'],
  ])('%s', expectNeeds);
});

describe('a console password beside a deregistration is answered, not asked about', () => {
  it.each([
    '请帮忙注销网站 豫ICP备2020001234号-1，另外我们控制台登录密码也忘了',
    "Need to cancel our Jiangxi filing, and separately our console password doesn't work anymore.",
  ])('%s', (text) => {
    const r = read(text);
    expect(r).toMatchObject({ intent: 'deregister', action: 'answer' });
    expect(r.also.map((n) => n.intent)).toContain('console_password');
  });
});

describe('asking who cancelled a record that vanished is no cancellation', () => {
  it('"Record not found on beian.miit.gov.cn anymore. … Did the provider cancel it?"', () => {
    const r = read(
      'Record not found on beian.miit.gov.cn anymore. It was filed in Jiangsu. Did the provider cancel it?',
    );
    expect(r.intent).toBe('record_vanished');
    expect(r.also.map((n) => n.intent)).not.toContain('deregister');
  });
});

describe('a blocker holds up moving provider too, unless asked as a separate matter', () => {
  it('"We\'re switching to you — but I\'ve forgotten our beian number. How do I look it up for the transfer?"', () => {
    const r = read(
      "We're switching to you from another cloud — but I've forgotten our beian number. How do I look it up for the transfer?",
    );
    expect(r.intent).toBe('lost_record_number');
    expect(r.also.map((n) => n.intent)).toContain('switch_provider');
  });

  it('"…需要先取消接入吗？另外备案号也找不到了" asks the move first, the number beside it', () => {
    const r = read('我们想换到华为云，需要先取消接入吗？另外备案号也找不到了');
    expect(r.intent).toBe('switch_provider');
    expect(r.also.map((n) => n.intent)).toContain('lost_record_number');
  });

  it.each([
    'if we switch cloud provider will our beian number change?',
    '服务器迁到你们这边，原来的备案号还能继续用吗',
  ])('keeping the number on a move is no lost number: %s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('switch_provider');
    expect(r.also).toEqual([]);
  });
});

describe('both blockers said lost in one breath', () => {
  it.each([
    [
      "Can't find our record number and don't remember the password either. Hubei company.",
      'lost_record_number',
      'forgot_password',
    ],
    [
      'ICP number and filing password both unknown, want to cancel. Guangxi, Nanning.',
      'lost_record_number',
      'forgot_password',
    ],
  ])('%s', (text, main, other) => {
    const r = read(text);
    expect([r.intent, ...r.options]).toContain(main);
    expect([r.intent, ...r.also.map((n) => n.intent)]).toEqual(expect.arrayContaining([main, other]));
  });
});

describe('a side question about the 12381 text or the details, beside the password', () => {
  it.each([
    ['Hi, 忘记密码了。also how long does SMS verification take to arrive?', 'sms_code'],
    ['备案密码忘了，另外想改一下负责人的手机号', 'change_filing'],
  ])('%s', (text, other) => {
    const r = read(text);
    expect(r.intent).toBe('forgot_password');
    expect(r.also.map((n) => n.intent)).toContain(other);
  });

  it('a text already confirmed is no question about it', () => {
    const r = read(
      'Dear team, we submitted the deregistration for our site last Monday through your console and confirmed the SMS the same day. How long until it is done?',
    );
    expect(r.intent).not.toBe('sms_code');
  });
});

describe('the filing password named as such is never a console password, whatever account is near it', () => {
  it.each([
    '客户忘了备案密码，之前注册用的邮箱也换了',
    'They were sent a beian password by email years ago and cannot find it. How do they get a new one?',
    '備案密碼不見了，當初的帳號負責人也離職了',
  ])('%s', (text) => {
    const r = read(text);
    expect(r.intent).toBe('forgot_password');
    expect(r.also.map((n) => n.intent)).not.toContain('console_password');
  });

  it.each([
    ['不是备案密码，是阿里云账号的密码忘了', 'console_password'],
    ['备案密码没问题，忘的是服务器面板的密码', 'console_password'],
  ])('not when the filing password is said not to be it: %s', (text, main) => {
    expect(read(text).intent).toBe(main);
  });

  it.each([
    ['服务器面板密码忘了，备案密码也忘了', 'console_password', 'forgot_password'],
    ['备案密码和控制台密码都找不到了', 'forgot_password', 'console_password'],
  ])('two passwords named: both needs, the first named leads: %s', (text, main, other) => {
    expectNeeds(text, main, other);
  });

  it('a console password beside a deregistration does not make the filing password the main ask', () => {
    const r = read('我们要注销广西的备案，另外控制台密码也忘了');
    expect(r.intent).toBe('deregister');
    expect(r.also.map((n) => n.intent)).toContain('console_password');
    expect(r.also.map((n) => n.intent)).not.toContain('forgot_password');
  });
});

describe('a number one cannot look up (查不到自己的备案号) is lost, and asked first it leads', () => {
  it('查不到自己的备案号，备案密码也不记得了', () => {
    expectNeeds('查不到自己的备案号，备案密码也不记得了，备案在江西', 'lost_record_number', 'forgot_password');
  });
});

describe('a number nobody remembers is looked up first, wherever it is to be shown', () => {
  it.each([
    'We need our ICP number for the app footer but no one remembers what it is',
    '网站底部要挂的备案号，我们自己的到底是多少？',
    '不用展示，就想知道我们的备案号是多少',
    "We don't need to display it, we just need to know what our ICP number is",
  ])('%s', (text) => {
    expect(read(text).intent).toBe('lost_record_number');
  });

  it('where to show a number the asker has is still the display question', () => {
    expect(read('where do we display the ICP number on our website footer?').intent).toBe('display_number');
  });
});

describe('more second needs, each a kind', () => {
  it.each([
    // A cancellation, then what follows it (", 注销后…"): the cancellation asked first leads.
    ['注销新疆的备案，注销后还能重新备案吗？', 'deregister', 'new_filing'],
    // Unable to cancel (没法注销) is the cancellation blocked, not refused.
    ['备案号找不到了，没法注销，备案在陕西', 'lost_record_number', 'deregister'],
    ["We lost the record number so we're not able to cancel our Hebei filing", 'lost_record_number', 'deregister'],
    // Which kind fits, asked beside a cancellation.
    ['帮我注销湖北的备案，另外取消接入和注销网站哪个更合适？', 'deregister', 'cancel_kinds'],
    // What a cancellation does to the domain, asked beside it.
    [
      'Please deregister 晋ICP备2018009876号. Does cancelling the filing affect our domain registration?',
      'deregister',
      'domain_vs_filing',
    ],
  ])('%s', (text, main, other) => {
    const u = understand(text);
    expect(u.intent).toBe(main);
    expect((u.also ?? []).map((n) => n.intent)).toContain(other);
  });
  it("the responsible person's phone (a possessive) is a change of details", () => {
    const u = understand(
      "Two things: how do we update the responsible person's phone on our filing? And separately, please cancel 京ICP备2016034567号-2 for the old site.",
    );
    expect([u.intent, ...(u.also ?? []).map((n) => n.intent)].sort()).toEqual(['change_filing', 'deregister']);
  });
  it('a payment provider asks for the number: no fee question', () => {
    const u = understand('Our payment provider wants the ICP number on their form and I have no idea what ours is.');
    expect(u.intent).toBe('lost_record_number');
    expect(u.also ?? []).toEqual([]);
  });
});

describe('a blocker told, not asked, does not lead', () => {
  it("the number used to come up on the ministry's lookup page; now it says nothing found", () => {
    const text =
      "The number under our homepage used to come up on the ministry's lookup page; now it says nothing found.";
    expect(understand(text).intent).toBe('record_vanished');
  });
  it('we know our record number. Just need the correct footer HTML for it.', () => {
    const u = understand('We know our record number. Just need the correct footer HTML for it.');
    expect(u.intent).toBe('display_number');
    expect((u.also ?? []).map((n) => n.intent)).not.toContain('lost_record_number');
  });
  it('while a blocker said to be lost still leads: "Our record number is lost. Also, how do we show it in the footer?"', () => {
    expect(understand('Our record number is lost. Also, how do we show it in the footer?').intent).toBe(
      'lost_record_number',
    );
  });
});

describe('side questions beside a core need, in more words', () => {
  it.each([
    [
      'Forgot the filing password — and is it true MIIT now uses SMS verification instead?',
      'forgot_password',
      'sms_code',
    ],
    ['忘记备案密码。顺便问下现在还用密码吗？听说改成短信了', 'forgot_password', 'sms_code'],
    ['Deregister our Chongqing site please; does the domain get deleted too?', 'deregister', 'domain_vs_filing'],
  ])('%s', (text, main, other) => {
    const u = understand(text);
    expect(u.intent).toBe(main);
    expect((u.also ?? []).map((n) => n.intent)).toContain(other);
  });
  it('the SMS check said to replace the password, nothing wrong with it, is the SMS question', () => {
    const u = understand('cool, so the SMS check replaced the password. makes sense');
    expect(u.intent).not.toBe('forgot_password');
  });
});

describe('an ICP number said lost beside the public-security filing leads', () => {
  it.each([
    'We forgot both our ICP number and the 公安备案 number. Domain hillside-bnb.cn',
    "Can't remember our ICP number, and while you're at it, how do I do the 公安备案?",
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('lost_record_number');
    expect((u.also ?? []).map((n) => n.intent)).toContain('public_security_filing');
  });
  it.each(['公安备案号忘了，怎么查？', 'Is 京公网安备11010502012345号 the same thing as my ICP number?'])(
    'not the public-security number lost, nor the two compared: %s',
    (text) => {
      expect(understand(text).intent).toBe('public_security_filing');
    },
  );
  it('", and afterwards" starts another ask: the cancellation asked first leads', () => {
    const u = understand(
      'Deregister 冀ICP备2021013390号-1, and afterwards can we re-file the same domain under a new company?',
    );
    expect(u.intent).toBe('deregister');
    expect((u.also ?? []).map((n) => n.intent)).toContain('new_filing');
  });
});
